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
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Identifier;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.IngestBatches.Batch;
import org.livingwell.routes.log.IngestBatches.Status;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.trust.OdsOrganization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a received register batch to the record: every accepted row, each in a transaction of its own (a row
 * the record refuses is counted and reported, the others go on), then, for a full file, the end of the register
 * episodes of patients the file no longer names. Applying a batch again writes nothing new (every write is
 * idempotent), so a batch interrupted by a crash is simply applied again from its first row.
 */
public final class GpRegisterApplier {

    /** The batch's counts are written after this many rows. */
    static final int PROGRESS_EVERY = 200;

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
        Progress progress = new Progress(batchId);
        batches.progress(batchId, Status.APPLYING, 0, 0, 0, List.of());

        Set<String> named = new HashSet<>();
        boolean everyRowNamed = true;
        try (GpRegisterFile file = GpRegisterFile.open(Files.newInputStream(GpRegisterIntake.file(batchDirectory, batchId)), validator)) {
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
        notes.add(progress.applied + " rows applied, " + progress.failed + " refused by the record, "
                + progress.ended + " register episodes ended");
        batches.progress(batchId, Status.APPLIED, progress.applied, progress.failed, progress.ended, progress.errors);
        messageLog.applied(new MessageLog.Key(GpRegisterIntake.FEED, batch.sender(), batchId), attempt, List.of(), notes);
        LOG.info("GP register batch {} applied: {}", batchId, String.join("; ", notes));
    }

    /** The identifier values of the practice's register episodes the record holds as active. */
    private List<String> activeEpisodes(String practiceOds) {
        String search = "EpisodeOfCare?status=active&type=" + GpRegisterTranslator.EPISODE_TYPE_SYSTEM + "|"
                + GpRegisterTranslator.EPISODE_TYPE + "&organization.identifier=" + OdsOrganization.ODS_SYSTEM + "|" + practiceOds;
        return writer.find(search).stream()
                .flatMap(resource -> ((EpisodeOfCare) resource).getIdentifier().stream())
                .filter(identifier -> GpIdentifiers.EPISODE_SYSTEM.equals(identifier.getSystem()))
                .map(Identifier::getValue)
                .toList();
    }

    /** Counts and refusals of one application of a batch. */
    private final class Progress {
        final String batchId;
        final List<RowError> errors = new ArrayList<>();
        long applied;
        long failed;
        long ended;

        Progress(String batchId) {
            this.batchId = batchId;
        }

        void row(long line, RecordChange change) {
            try {
                writer.write(change);
                applied++;
            } catch (RecordRejectedException refused) {
                failed++;
                if (errors.size() < IngestBatches.ERRORS_KEPT) {
                    errors.add(new RowError(line, "row", "", "refused by the record: " + refused.getMessage()));
                }
            }
            if ((applied + failed) % PROGRESS_EVERY == 0) {
                batches.progress(batchId, Status.APPLYING, applied, failed, ended, errors);
            }
        }
    }
}
