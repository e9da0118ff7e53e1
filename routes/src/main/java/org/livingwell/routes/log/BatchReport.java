package org.livingwell.routes.log;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.livingwell.routes.log.RowError;

/**
 * The JSON a sender gets about a file (the answer to the upload, the report beside a dropped file, and
 * {@code GET /ingest/batches/{id}}), as maps for a JSON writer. One shape for every file-based feed.
 */
public final class BatchReport {

    private BatchReport() {}

    /** What the file held on receipt: {@code {batchId, rowsReceived, rowsAccepted, rowsRejected, errors:[{line, column, value, message}]}}. */
    public static Map<String, Object> receipt(IngestBatches.Batch batch) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batchId", batch.batchId());
        json.put("rowsReceived", batch.rowsReceived());
        json.put("rowsAccepted", batch.rowsAccepted());
        json.put("rowsRejected", batch.rowsRejected());
        json.put("errors", errors(batch.errors()));
        if (batch.reason() != null) {
            json.put("reason", batch.reason());
        }
        return json;
    }

    /** A refused file (not CSV, empty, a required column missing, too large) in the same shape, with no batch. */
    public static Map<String, Object> refusal(List<RowError> errors) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("batchId", null);
        json.put("rowsReceived", 0);
        json.put("rowsAccepted", 0);
        json.put("rowsRejected", 0);
        json.put("errors", errors(errors));
        return json;
    }

    /** The receipt plus where applying has got: status, rowsApplied, rowsFailed, episodesEnded, applyErrors. */
    public static Map<String, Object> progress(IngestBatches.Batch batch) {
        Map<String, Object> json = receipt(batch);
        json.put("feed", batch.feed());
        json.put("sender", batch.sender());
        json.put("mode", batch.mode());
        json.put("source", batch.source());
        json.put("receivedAt", String.valueOf(batch.receivedAt()));
        json.put("status", batch.status().name().toLowerCase(java.util.Locale.ROOT));
        json.put("rowsApplied", batch.rowsApplied());
        json.put("rowsFailed", batch.rowsFailed());
        json.put("episodesEnded", batch.episodesEnded());
        json.put("applyErrors", errors(batch.applyErrors()));
        json.put("updatedAt", String.valueOf(batch.updatedAt()));
        return json;
    }

    private static List<Map<String, Object>> errors(List<RowError> errors) {
        return errors.stream().map(error -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("line", error.line());
            json.put("column", error.column());
            json.put("value", error.value());
            json.put("message", error.message());
            return json;
        }).toList();
    }
}
