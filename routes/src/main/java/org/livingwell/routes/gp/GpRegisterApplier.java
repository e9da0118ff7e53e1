package org.livingwell.routes.gp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Identifier;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.IngestBatches.Status;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.RowError;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.identity.OdsOrganization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a received register batch to the record: the accepted rows, {@link #ROWS_PER_TRANSACTION} to a transaction
 * with one Provenance naming the batch (a row the record refuses is counted and reported, the others go on), then,
 * for a full file, the end of the register episodes of patients the file no longer names. Applying a batch again writes nothing new (every write is
 * idempotent), so a batch interrupted by a crash is simply applied again from its first row.
 */
public final class GpRegisterApplier {

    /**
     * Rows applied together (one look-up per resource type, one FHIR transaction, one commit); the batch's counts
     * are updated after each group.
     */
    static final int ROWS_PER_TRANSACTION = 100;
    /** Register episodes read at a time when a full file's omissions are looked for. */
    static final int EPISODES_PER_PAGE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(GpRegisterApplier.class);

    private final RecordWriter writer;
    private final IngestBatches batches;
    private final MessageLog messageLog;
    private final Path batchDirectory;
    private final RegisterRowValidator validator;
    private final GpRegisterTranslator translator = new GpRegisterTranslator();

    public GpRegisterApplier(RecordWriter writer, IngestBatches batches, MessageLog messageLog, Path batchDirectory,
            RegisterRowValidator validator) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.batches = Objects.requireNonNull(batches, "batches");
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
        this.batchDirectory = Objects.requireNonNull(batchDirectory, "batchDirectory");
        this.validator = Objects.requireNonNull(validator, "validator");
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
            LOG.warn("GP register batch {} is {}: nothing to apply", batchId, batch == null ? "unknown" : "refused");
            return;
        }
        if (batch.status() == Status.APPLIED && !again) {
            LOG.debug("GP register batch {} was applied before; not applied again", batchId);
            return;
        }
        GpBatch register = new GpBatch(batch.sender(), batchId,
                LocalDate.ofInstant(batch.receivedAt(), RegisterRowValidator.ENGLAND),
                GpBatch.Mode.valueOf(batch.mode().toUpperCase(Locale.ROOT)));
        Progress progress = new Progress(batchId, new Origin(GpRegisterIntake.FEED, register.practiceOds(), batchId,
                register.extractDate().toString()));
        batches.progress(batchId, Status.APPLYING, 0, 0, 0, List.of());

        Set<String> named = new HashSet<>();
        boolean everyRowNamed = true;
        try (var file = GpRegisterFile.open(Files.newInputStream(GpRegisterIntake.file(batchDirectory, batchId)), validator)) {
            Iterator<ParsedRow> rows = file.rows().iterator();
            while (rows.hasNext()) {
                ParsedRow row = rows.next();
                if (row.nhsNumber().isPresent()) {
                    named.add(GpRegisterTranslator.episodeIdentifier(register, row.nhsNumber().get()));
                } else {
                    everyRowNamed = false;
                }
                if (row.isValid()) {
                    progress.row(row.line(), translator.translate(row.row().get(), register));
                }
            }
            progress.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the file of GP register batch " + batchId, e);
        }

        List<String> notes = new ArrayList<>();
        if (register.mode() == GpBatch.Mode.FULL) {
            if (everyRowNamed) {
                for (RecordChange end : translator.endOmitted(register, activeEpisodes(register.practiceOds()), named)) {
                    if (!writer.write(end).written().isEmpty()) {
                        progress.ended++;
                    }
                }
            } else {
                notes.add("full file with rows lacking a valid NHS number: no one was taken off the register");
            }
        }
        notes.add("rows applied: " + progress.applied + ", refused by the record: " + progress.failed
                + ", register episodes ended: " + progress.ended);
        batches.progress(batchId, Status.APPLIED, progress.applied, progress.failed, progress.ended, progress.errors);
        messageLog.applied(new MessageLog.Key(GpRegisterIntake.FEED, batch.sender(), batchId), attempt, List.of(), notes);
        LOG.info("GP register batch {} applied: {}", batchId, String.join("; ", notes));
    }

    /** The identifier values of the practice's register episodes the record holds as active, a page at a time. */
    private List<String> activeEpisodes(String practiceOds) {
        String search = "EpisodeOfCare?status=active&type=" + GpRegisterTranslator.EPISODE_TYPE_SYSTEM + "|"
                + GpRegisterTranslator.EPISODE_TYPE + "&organization.identifier=" + OdsOrganization.ODS_SYSTEM + "|" + practiceOds
;
        List<String> active = new ArrayList<>();
        writer.forEachPage(search, EPISODES_PER_PAGE, page -> page.stream()
                .flatMap(resource -> ((EpisodeOfCare) resource).getIdentifier().stream())
                .filter(identifier -> GpIdentifiers.EPISODE_SYSTEM.equals(identifier.getSystem()))
                .map(Identifier::getValue)
                .forEach(active::add));
        return active;
    }

    /** Rows waiting to be applied together, and the counts and refusals of one application of a batch. */
    private final class Progress {
        final String batchId;
        final Origin origin;
        final List<Long> lines = new ArrayList<>();
        final List<RecordChange> changes = new ArrayList<>();
        final List<RowError> errors = new ArrayList<>();
        long applied;
        long failed;
        long ended;

        Progress(String batchId, Origin origin) {
            this.batchId = batchId;
            this.origin = origin;
        }

        void row(long line, RecordChange change) {
            lines.add(line);
            changes.add(change);
            if (changes.size() == ROWS_PER_TRANSACTION) {
                flush();
            }
        }

        void flush() {
            if (changes.isEmpty()) {
                return;
            }
            Map<Integer, RecordRejectedException> refused = writer.writeAll(origin, changes);
            applied += changes.size() - refused.size();
            failed += refused.size();
            refused.forEach((index, refusal) -> {
                if (errors.size() < IngestBatches.ERRORS_KEPT) {
                    errors.add(new RowError(lines.get(index), "row", "", "refused by the record: " + refusal.getMessage()));
                }
            });
            lines.clear();
            changes.clear();
            batches.progress(batchId, Status.APPLYING, applied, failed, ended, errors);
        }
    }
}
