package org.livingwell.routes.log;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.livingwell.routes.log.RowError;

/**
 * The files the file-based feeds received (a practice's register, a council's CLD file): what each held when it
 * was checked on receipt, and how far applying it has got. Partners read it at {@code GET /ingest/batches/{id}};
 * the feed's applier updates it as it goes. (The message log has one entry per file too; this holds the counts.)
 */
public interface IngestBatches {

    /** At most this many row errors are kept per batch and list; the counts are always complete. */
    int ERRORS_KEPT = 1000;

    /** Where a batch is. */
    enum Status { RECEIVED, APPLYING, APPLIED, REJECTED }

    /**
     * One received file.
     *
     * @param batchId the gateway's id of the file
     * @param feed e.g. {@code gp-smi-register}
     * @param sender who sent it, e.g. the practice's ODS code
     * @param mode e.g. {@code full} or {@code delta}
     * @param source how it came: {@code http} or the dropped file's name
     * @param rowsReceived data rows in the file
     * @param rowsAccepted rows that passed validation on receipt
     * @param rowsRejected rows that did not ({@code errors} says why)
     * @param rowsApplied accepted rows applied to the record so far
     * @param rowsFailed accepted rows the record refused ({@code applyErrors} says why)
     * @param episodesEnded register episodes a full file ended because it no longer named the patient
     * @param reason why the whole file was refused, for REJECTED
     * @param errors the first {@link #ERRORS_KEPT} row errors found on receipt (values are patient data)
     * @param applyErrors the first {@link #ERRORS_KEPT} rows the record refused
     */
    record Batch(String batchId, String feed, String sender, String mode, String source, Instant receivedAt,
            Status status, long rowsReceived, long rowsAccepted, long rowsRejected, long rowsApplied, long rowsFailed,
            long episodesEnded, String reason, List<RowError> errors, List<RowError> applyErrors, Instant updatedAt) {

        public Batch {
            Objects.requireNonNull(batchId, "batchId");
            Objects.requireNonNull(status, "status");
            errors = List.copyOf(errors);
            applyErrors = List.copyOf(applyErrors);
        }
    }

    /** Records a file as checked on receipt (status RECEIVED or REJECTED). */
    void received(Batch batch);

    /** How far applying a batch has got; the counts replace the earlier ones (a re-applied batch starts again). */
    void progress(String batchId, Status status, long rowsApplied, long rowsFailed, long episodesEnded, List<RowError> applyErrors);

    Optional<Batch> find(String batchId);
}
