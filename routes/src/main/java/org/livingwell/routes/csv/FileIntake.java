package org.livingwell.routes.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.IngestBatches.Status;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.RowError;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a file-based feed's file, however it came (uploaded, dropped in the inbox): keeps it on disk, checks every
 * row as it streams through, records the batch and hands it to the feed's applier through the durable queue. When
 * {@link #receive} returns, the file is safe: a crash after it loses nothing, the queued batch is applied at the next
 * start. Each feed (GP registers, council CLD files) has one.
 */
public final class FileIntake {

    /** A row as the feed's reader checked it. */
    public interface CheckedRow {
        boolean isValid();

        /** Why it is not valid (values are patient data). */
        List<RowError> errors();
    }

    private static final Logger LOG = LoggerFactory.getLogger(FileIntake.class);

    private final String feed;
    private final Path batchDirectory;
    private final long maxBytes;
    private final IngestBatches batches;
    private final MessageLog messageLog;
    private final BiConsumer<String, String> enqueue;
    private final Function<InputStream, Stream<? extends CheckedRow>> rows;
    private final Clock clock;

    /**
     * @param feed the feed's name in the message log and on batches
     * @param batchDirectory where received files are kept, as {@code <batchId>.csv}
     * @param maxBytes the largest file taken
     * @param enqueue puts a batch id on the feed's durable queue in the sender's message group (one sender's batches
     *     are applied one after another, in the order received); returns once the broker has it
     * @param rows opens a kept file and checks its rows, streaming (closing the stream closes the file); throws
     *     {@link CsvFileException} for a file refused as a whole
     */
    public FileIntake(String feed, Path batchDirectory, long maxBytes, IngestBatches batches, MessageLog messageLog,
            BiConsumer<String, String> enqueue, Function<InputStream, Stream<? extends CheckedRow>> rows, Clock clock) {
        this.feed = Objects.requireNonNull(feed, "feed");
        this.batchDirectory = Objects.requireNonNull(batchDirectory, "batchDirectory");
        this.maxBytes = maxBytes;
        this.batches = Objects.requireNonNull(batches, "batches");
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
        this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
        this.rows = Objects.requireNonNull(rows, "rows");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where a batch's file is kept. */
    public static Path file(Path batchDirectory, String batchId) {
        return batchDirectory.resolve(batchId + ".csv");
    }

    /** Where this feed keeps a batch's file. */
    public Path file(String batchId) {
        return file(batchDirectory, batchId);
    }

    /**
     * Receives one file.
     *
     * @param sender who sent it (checked by the caller): a practice's ODS code, the council's
     * @param mode what kind of file, e.g. {@code full} or {@code delta}, recorded on the batch
     * @param messageType the file's type in the message log, e.g. {@code SMI-REGISTER^FULL}
     * @param source {@code http}, or {@code file:} and the dropped file's name
     * @param description what the file is, for the message log, e.g. {@code GP SMI register (full) from http}
     * @return the batch as received: rows received, accepted and rejected with the errors
     * @throws CsvFileException if the file as a whole is refused (not CSV, empty, a required column missing, too
     *     large); it is logged as rejected, and kept on disk unless too large
     */
    public Batch receive(String sender, String mode, String messageType, InputStream body, String source, String description) {
        String batchId = UUID.randomUUID().toString();
        Instant receivedAt = clock.instant();
        MessageLog.Key key = new MessageLog.Key(feed, sender, batchId);
        Path file = file(batchId);
        String logged = description + ", kept as " + file;
        try {
            ReceivedFiles.keep(body, file, maxBytes);
            long[] counts = new long[3];
            List<RowError> errors = new ArrayList<>();
            try (Stream<? extends CheckedRow> checked = rows.apply(Files.newInputStream(file))) {
                checked.forEach(row -> {
                    counts[0]++;
                    if (row.isValid()) {
                        counts[1]++;
                    } else {
                        counts[2]++;
                        row.errors().stream().limit(Math.max(0, IngestBatches.ERRORS_KEPT - errors.size())).forEach(errors::add);
                    }
                });
            }
            if (counts[0] == 0) {
                throw new NotCsvException("the file has a header but no rows");
            }
            Batch batch = new Batch(batchId, feed, sender, mode, source, receivedAt, Status.RECEIVED,
                    counts[0], counts[1], counts[2], 0, 0, 0, null, errors, List.of(), receivedAt);
            batches.received(batch);
            messageLog.accepted(key, messageType, receivedAt, logged);
            enqueue.accept(batchId, sender);
            LOG.info("{} batch {} from {} ({}): {} rows, {} accepted, {} rejected", feed, batchId, sender, mode,
                    counts[0], counts[1], counts[2]);
            return batch;
        } catch (CsvFileException refused) {
            batches.received(new Batch(batchId, feed, sender, mode, source, receivedAt, Status.REJECTED,
                    0, 0, 0, 0, 0, 0, refused.getMessage(), List.of(), List.of(), receivedAt));
            messageLog.failed(key, messageType, receivedAt, logged, MessageLog.Status.REJECTED, refused.getMessage());
            LOG.warn("{} file from {} refused (batch {}): {}", feed, sender, batchId, refused.getMessage());
            throw refused;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the file " + file, e);
        }
    }
}
