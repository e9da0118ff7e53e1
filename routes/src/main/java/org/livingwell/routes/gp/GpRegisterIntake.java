package org.livingwell.routes.gp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.IngestBatches.Status;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.RowError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.livingwell.routes.csv.CsvFileException;
import org.livingwell.routes.csv.NotCsvException;
import org.livingwell.routes.csv.ReceivedFiles;

/**
 * Takes a practice's register file, however it came (uploaded, dropped in the inbox): keeps it on disk, checks
 * every row as it streams through, records the batch and hands it to the applier through the durable queue. When
 * {@link #receive} returns, the file is safe: a crash after it loses nothing, the queued batch is applied at the
 * next start.
 */
public final class GpRegisterIntake {

    /** The feed's name in the message log and on batches. */
    public static final String FEED = GpRegisterTranslator.FEED;

    private static final Logger LOG = LoggerFactory.getLogger(GpRegisterIntake.class);

    private final Path batchDirectory;
    private final long maxBytes;
    private final IngestBatches batches;
    private final MessageLog messageLog;
    private final BiConsumer<String, String> enqueue;
    private final RegisterRowValidator validator;
    private final Clock clock;

    /**
     * @param batchDirectory where received files are kept, as {@code <batchId>.csv}
     * @param maxBytes the largest file taken
     * @param enqueue puts a batch id on the feed's durable queue in the practice's message group (one practice's
     *     batches are applied one after another, in the order received); returns once the broker has it
     */
    public GpRegisterIntake(Path batchDirectory, long maxBytes, IngestBatches batches, MessageLog messageLog,
            BiConsumer<String, String> enqueue, RegisterRowValidator validator, Clock clock) {
        this.batchDirectory = Objects.requireNonNull(batchDirectory, "batchDirectory");
        this.maxBytes = maxBytes;
        this.batches = Objects.requireNonNull(batches, "batches");
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
        this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where a batch's file is kept. */
    public static Path file(Path batchDirectory, String batchId) {
        return batchDirectory.resolve(batchId + ".csv");
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
        String batchId = UUID.randomUUID().toString();
        Instant receivedAt = clock.instant();
        String modeName = mode.name().toLowerCase(Locale.ROOT);
        MessageLog.Key key = new MessageLog.Key(FEED, practiceOds, batchId);
        String messageType = "SMI-REGISTER^" + mode.name();
        Path file = file(batchDirectory, batchId);
        String description = "GP SMI register (" + modeName + ") from " + source + ", kept as " + file;
        try {
            ReceivedFiles.keep(body, file, maxBytes);
            long[] counts = new long[3];
            List<RowError> errors = new ArrayList<>();
            try (var register = GpRegisterFile.open(Files.newInputStream(file), validator)) {
                register.rows().forEach(row -> {
                    counts[0]++;
                    if (row.isValid()) {
                        counts[1]++;
                    } else {
                        counts[2]++;
                        row.errors().stream().limit(IngestBatches.ERRORS_KEPT - errors.size()).forEach(errors::add);
                    }
                });
            }
            if (counts[0] == 0) {
                throw new NotCsvException("the file has a header but no rows");
            }
            Batch batch = new Batch(batchId, FEED, practiceOds, modeName, source, receivedAt, Status.RECEIVED,
                    counts[0], counts[1], counts[2], 0, 0, 0, null, errors, List.of(), receivedAt);
            batches.received(batch);
            messageLog.accepted(key, messageType, receivedAt, description);
            enqueue.accept(batchId, practiceOds);
            LOG.info("GP register batch {} from {} ({}): {} rows, {} accepted, {} rejected", batchId, practiceOds, modeName,
                    counts[0], counts[1], counts[2]);
            return batch;
        } catch (CsvFileException refused) {
            batches.received(new Batch(batchId, FEED, practiceOds, modeName, source, receivedAt, Status.REJECTED,
                    0, 0, 0, 0, 0, 0, refused.getMessage(), List.of(), List.of(), receivedAt));
            messageLog.failed(key, messageType, receivedAt, description, MessageLog.Status.REJECTED, refused.getMessage());
            LOG.warn("GP register file from {} refused (batch {}): {}", practiceOds, batchId, refused.getMessage());
            throw refused;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the register file " + file, e);
        }
    }
}
