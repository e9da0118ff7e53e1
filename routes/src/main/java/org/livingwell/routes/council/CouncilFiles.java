package org.livingwell.routes.council;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.livingwell.routes.csv.FileIntake;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.MessageLog;

/**
 * Takes a council's quarterly CLD file through the feeds' shared {@link FileIntake}: kept, every row checked, recorded
 * as a batch and queued for {@link CouncilFileApplier}.
 */
public final class CouncilFiles {

    /** CLD files in the message log and on batches (the API's cases are {@link CouncilCases#LOG_FEED}). */
    public static final String LOG_FEED = "council-cld";
    public static final String MESSAGE_TYPE = "CLD-FILE";

    private final FileIntake intake;
    private final String councilOds;

    public CouncilFiles(Path batchDirectory, long maxBytes, IngestBatches batches, MessageLog messageLog,
            BiConsumer<String, String> enqueue, CaseValidator validator, String councilOds, Clock clock) {
        Objects.requireNonNull(validator, "validator");
        this.councilOds = Objects.requireNonNull(councilOds, "councilOds");
        this.intake = new FileIntake(LOG_FEED, batchDirectory, maxBytes, batches, messageLog, enqueue,
                in -> CldFile.open(in, validator).rows(), clock);
    }

    /**
     * Receives one CLD file.
     *
     * @param source {@code file:} and the dropped file's name
     * @throws org.livingwell.routes.csv.CsvFileException if the file as a whole is refused
     */
    public Batch receive(InputStream body, String source) {
        return intake.receive(councilOds, "cld", MESSAGE_TYPE, body, source, "council CLD file from " + source);
    }
}
