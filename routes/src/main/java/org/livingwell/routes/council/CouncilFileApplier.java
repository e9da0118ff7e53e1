package org.livingwell.routes.council;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.livingwell.routes.csv.FileIntake;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.IngestBatches.Status;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.RowError;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a received CLD file to the record: consecutive valid rows of one person make one case (so a person's
 * events are judged together), {@link #CASES_PER_TRANSACTION} cases to a transaction with one Provenance naming the
 * batch; a case the record refuses is counted and reported, the others go on. Applying a batch again writes nothing
 * new (every write is idempotent, keyed on the council's event ids), so a batch interrupted by a crash is simply
 * applied again from its first row.
 */
public final class CouncilFileApplier {

    /** Cases applied together (grouped look-ups, one FHIR transaction, one commit). */
    static final int CASES_PER_TRANSACTION = 100;

    private static final Logger LOG = LoggerFactory.getLogger(CouncilFileApplier.class);

    private final RecordWriter writer;
    private final IngestBatches batches;
    private final MessageLog messageLog;
    private final Path batchDirectory;
    private final CaseValidator validator;
    private final CouncilTranslator translator;

    public CouncilFileApplier(RecordWriter writer, IngestBatches batches, MessageLog messageLog, Path batchDirectory,
            CaseValidator validator, CouncilTranslator translator) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
        this.batchDirectory = Objects.requireNonNull(batchDirectory, "batchDirectory");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.translator = Objects.requireNonNull(translator, "translator");
    }

    /**
     * Applies the batch.
     *
     * @param again apply it even if it was applied before (an operator's replay)
     * @param attempt how many times it has been tried, for the message log
     */
    public void apply(String batchId, boolean again, int attempt) {
        Batch batch = batches.find(batchId).orElse(null);
        if (batch == null || batch.status() == Status.REJECTED) {
            LOG.warn("CLD batch {} is {}: nothing to apply", batchId, batch == null ? "unknown" : "refused");
            return;
        }
        if (batch.status() == Status.APPLIED && !again) {
            LOG.debug("CLD batch {} was applied before; not applied again", batchId);
            return;
        }
        Progress progress = new Progress(batchId, new Origin(CouncilTranslator.FEED, batch.sender(), batchId,
                batch.receivedAt().toString()));
        batches.progress(batchId, Status.APPLYING, 0, 0, 0, List.of());
        try (var file = CldFile.open(Files.newInputStream(FileIntake.file(batchDirectory, batchId)), validator)) {
            Iterator<CldRow> rows = file.rows().iterator();
            CldRow first = null;
            List<CouncilCase.Event> events = new ArrayList<>();
            int rowsInCase = 0;
            while (rows.hasNext()) {
                CldRow row = rows.next();
                if (!row.isValid()) {
                    continue;
                }
                if (first != null && !first.personId().equals(row.personId())) {
                    progress.add(first, events, rowsInCase);
                    events = new ArrayList<>();
                    rowsInCase = 0;
                }
                if (rowsInCase == 0) {
                    first = row;
                }
                events.addAll(row.person().get().events());
                rowsInCase++;
            }
            if (first != null) {
                progress.add(first, events, rowsInCase);
            }
            progress.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the file of CLD batch " + batchId, e);
        }
        List<String> notes = new ArrayList<>(progress.notes);
        notes.add("rows applied: " + progress.applied + ", refused by the record: " + progress.failed);
        batches.progress(batchId, Status.APPLIED, progress.applied, progress.failed, 0, progress.errors);
        messageLog.applied(new MessageLog.Key(CouncilFiles.LOG_FEED, batch.sender(), batchId), attempt, List.of(),
                notes.stream().distinct().limit(IngestBatches.ERRORS_KEPT).toList());
        LOG.info("CLD batch {} applied: {} rows applied, {} refused by the record", batchId, progress.applied, progress.failed);
    }

    /** Cases waiting to be applied together, and the counts and refusals of one application of a batch. */
    private final class Progress {
        final String batchId;
        final Origin origin;
        final List<CldRow> firstRows = new ArrayList<>();
        final List<Integer> rowCounts = new ArrayList<>();
        final List<RecordChange> changes = new ArrayList<>();
        final List<RowError> errors = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        long applied;
        long failed;

        Progress(String batchId, Origin origin) {
            this.batchId = batchId;
            this.origin = origin;
        }

        void add(CldRow first, List<CouncilCase.Event> events, int rows) {
            CouncilCase person = first.person().get().withEvents(events);
            firstRows.add(first);
            rowCounts.add(rows);
            changes.add(translator.translate(person, batchId + ":" + first.line()));
            if (changes.size() == CASES_PER_TRANSACTION) {
                flush();
            }
        }

        void flush() {
            if (changes.isEmpty()) {
                return;
            }
            Map<Integer, RecordRejectedException> refused = writer.writeAll(origin, changes);
            for (int i = 0; i < changes.size(); i++) {
                RecordRejectedException refusal = refused.get(i);
                if (refusal == null) {
                    applied += rowCounts.get(i);
                    notes.addAll(changes.get(i).notes());
                } else {
                    failed += rowCounts.get(i);
                    if (errors.size() < IngestBatches.ERRORS_KEPT) {
                        errors.add(new RowError(firstRows.get(i).line(), "row", "", "refused by the record: " + refusal.getMessage()));
                    }
                }
            }
            firstRows.clear();
            rowCounts.clear();
            changes.clear();
            batches.progress(batchId, Status.APPLYING, applied, failed, 0, errors);
        }
    }
}
