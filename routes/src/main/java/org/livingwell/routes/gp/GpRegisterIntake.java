package org.livingwell.routes.gp;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.livingwell.routes.csv.CsvFileException;
import org.livingwell.routes.csv.FileIntake;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.MessageLog;

/**
 * Takes a practice's register file, however it came (uploaded, dropped in the inbox), through the feeds' shared
 * {@link FileIntake}: kept, every row checked, recorded and queued for {@link GpRegisterApplier}.
 */
public final class GpRegisterIntake {

    /** The feed's name in the message log and on batches. */
    public static final String FEED = GpRegisterTranslator.FEED;

    private final FileIntake intake;

    /**
     * @param batchDirectory where received files are kept, as {@code <batchId>.csv}
     * @param maxBytes the largest file taken
     * @param enqueue puts a batch id on the feed's durable queue in the practice's message group (one practice's
     *     batches are applied one after another, in the order received); returns once the broker has it
     */
    public GpRegisterIntake(Path batchDirectory, long maxBytes, IngestBatches batches, MessageLog messageLog,
            BiConsumer<String, String> enqueue, RegisterRowValidator validator, Clock clock) {
        Objects.requireNonNull(validator, "validator");
        this.intake = new FileIntake(FEED, batchDirectory, maxBytes, batches, messageLog, enqueue,
                in -> GpRegisterFile.open(in, validator).rows(), clock);
    }

    /** Where a batch's file is kept. */
    public static Path file(Path batchDirectory, String batchId) {
        return FileIntake.file(batchDirectory, batchId);
    }

    /**
     * Receives one register file.
     *
     * @param practiceOds the practice the register belongs to (checked by the caller)
     * @param source {@code http}, or the dropped file's name
     * @return the batch as received: rows received, accepted and rejected with the errors
     * @throws CsvFileException if the file as a whole is refused (not CSV, empty, a required column missing,
     *     too large); it is logged as rejected, and kept on disk unless too large
     */
    public Batch receive(String practiceOds, GpBatch.Mode mode, InputStream body, String source) {
        String modeName = mode.name().toLowerCase(Locale.ROOT);
        return intake.receive(practiceOds, modeName, "SMI-REGISTER^" + mode.name(), body, source,
                "GP SMI register (" + modeName + ") from " + source);
    }
}
