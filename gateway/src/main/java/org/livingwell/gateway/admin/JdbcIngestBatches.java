package org.livingwell.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.livingwell.routes.log.RowError;
import org.livingwell.routes.log.IngestBatches;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/** Received files in table {@code lw_ingest_batch} of the record's own database (H2 or PostgreSQL), created if absent. */
@Component
public class JdbcIngestBatches implements IngestBatches {

    // VARCHAR, not TEXT: H2 keeps TEXT as a LOB (see JdbcMessageLog). A thousand errors fit in 1,000,000 characters.
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS lw_ingest_batch (
                batch_id VARCHAR(64) PRIMARY KEY,
                feed VARCHAR(64) NOT NULL,
                sender VARCHAR(255) NOT NULL,
                mode VARCHAR(16),
                source VARCHAR(1000),
                received_at TIMESTAMP WITH TIME ZONE NOT NULL,
                status VARCHAR(16) NOT NULL,
                rows_received BIGINT NOT NULL,
                rows_accepted BIGINT NOT NULL,
                rows_rejected BIGINT NOT NULL,
                rows_applied BIGINT NOT NULL,
                rows_failed BIGINT NOT NULL,
                episodes_ended BIGINT NOT NULL,
                reason VARCHAR(10000),
                errors VARCHAR(1000000),
                apply_errors VARCHAR(1000000),
                updated_at TIMESTAMP WITH TIME ZONE NOT NULL)""";
    private static final TypeReference<List<RowError>> ERRORS = new TypeReference<>() {};

    private final NamedParameterJdbcTemplate named;
    private final ObjectMapper json = new ObjectMapper();

    public JdbcIngestBatches(DataSource dataSource) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(SCHEMA);
        this.named = new NamedParameterJdbcTemplate(jdbc);
    }

    @Override
    public void received(Batch batch) {
        named.update("INSERT INTO lw_ingest_batch (batch_id, feed, sender, mode, source, received_at, status, rows_received,"
                + " rows_accepted, rows_rejected, rows_applied, rows_failed, episodes_ended, reason, errors, apply_errors, updated_at)"
                + " VALUES (:batchId, :feed, :sender, :mode, :source, :receivedAt, :status, :rowsReceived, :rowsAccepted,"
                + " :rowsRejected, 0, 0, 0, :reason, :errors, '[]', :now)",
                new MapSqlParameterSource("batchId", batch.batchId())
                        .addValue("feed", batch.feed())
                        .addValue("sender", batch.sender())
                        .addValue("mode", batch.mode())
                        .addValue("source", batch.source())
                        .addValue("receivedAt", timestamp(batch.receivedAt()))
                        .addValue("status", batch.status().name())
                        .addValue("rowsReceived", batch.rowsReceived())
                        .addValue("rowsAccepted", batch.rowsAccepted())
                        .addValue("rowsRejected", batch.rowsRejected())
                        .addValue("reason", batch.reason())
                        .addValue("errors", write(batch.errors()))
                        .addValue("now", timestamp(Instant.now())));
    }

    @Override
    public void progress(String batchId, Status status, long rowsApplied, long rowsFailed, long episodesEnded,
            List<RowError> applyErrors) {
        int updated = named.update("UPDATE lw_ingest_batch SET status = :status, rows_applied = :applied, rows_failed = :failed,"
                + " episodes_ended = :ended, apply_errors = :errors, updated_at = :now WHERE batch_id = :batchId",
                new MapSqlParameterSource("batchId", batchId)
                        .addValue("status", status.name())
                        .addValue("applied", rowsApplied)
                        .addValue("failed", rowsFailed)
                        .addValue("ended", episodesEnded)
                        .addValue("errors", write(applyErrors))
                        .addValue("now", timestamp(Instant.now())));
        if (updated == 0) {
            throw new IllegalStateException("No batch " + batchId);
        }
    }

    @Override
    public Optional<Batch> find(String batchId) {
        return named.query("SELECT * FROM lw_ingest_batch WHERE batch_id = :batchId",
                new MapSqlParameterSource("batchId", batchId), this::batch).stream().findFirst();
    }

    private Batch batch(ResultSet row, int rowNumber) throws SQLException {
        return new Batch(row.getString("batch_id"), row.getString("feed"), row.getString("sender"), row.getString("mode"),
                row.getString("source"), row.getObject("received_at", OffsetDateTime.class).toInstant(),
                Status.valueOf(row.getString("status")), row.getLong("rows_received"), row.getLong("rows_accepted"),
                row.getLong("rows_rejected"), row.getLong("rows_applied"), row.getLong("rows_failed"),
                row.getLong("episodes_ended"), row.getString("reason"), read(row.getString("errors")),
                read(row.getString("apply_errors")), row.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private String write(List<RowError> errors) {
        try {
            return json.writeValueAsString(errors);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write row errors as JSON", e);
        }
    }

    private List<RowError> read(String errors) {
        try {
            return errors == null ? List.of() : json.readValue(errors, ERRORS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not read row errors from JSON", e);
        }
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }
}
