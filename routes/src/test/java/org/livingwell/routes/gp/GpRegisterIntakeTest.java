package org.livingwell.routes.gp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livingwell.routes.log.InMemoryMessageLog;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.RowError;
import org.livingwell.routes.csv.NotCsvException;
import org.livingwell.routes.csv.FileTooLargeException;

/** The intake on its own: what it keeps, records and queues for a good file, and for files it refuses. */
class GpRegisterIntakeTest {

    @TempDir
    Path batches;

    private final Map<String, IngestBatches.Batch> recorded = new HashMap<>();
    private final List<String> queued = new ArrayList<>();
    private final InMemoryMessageLog messageLog = new InMemoryMessageLog();

    private final IngestBatches store = new IngestBatches() {
        @Override
        public void received(Batch batch) {
            recorded.put(batch.batchId(), batch);
        }

        @Override
        public void progress(String batchId, Status status, long rowsApplied, long rowsFailed, long episodesEnded,
                List<RowError> applyErrors) {
            throw new UnsupportedOperationException("the intake does not apply");
        }

        @Override
        public Optional<Batch> find(String batchId) {
            return Optional.ofNullable(recorded.get(batchId));
        }
    };

    private GpRegisterIntake intake(long maxBytes) {
        return new GpRegisterIntake(batches, maxBytes, store, messageLog, (batchId, practice) -> queued.add(practice + " " + batchId),
                GpRegisterFixtures.VALIDATOR, Clock.fixed(Instant.parse("2026-11-24T09:00:00Z"), ZoneOffset.UTC));
    }

    @Test
    void aGoodFileIsKeptRecordedLoggedAndQueuedInItsPracticesGroup() throws IOException {
        String csv = GpRegisterFixtures.file(GpRegisterFixtures.HEADER, GpRegisterFixtures.ROW_1, GpRegisterFixtures.ROW_2);

        IngestBatches.Batch batch = intake(1_000_000).receive("G85001", GpBatch.Mode.FULL, GpRegisterFixtures.utf8(csv), "http");

        assertThat(batch.rowsReceived()).isEqualTo(2);
        assertThat(batch.rowsAccepted()).isEqualTo(2);
        assertThat(Files.readString(GpRegisterIntake.file(batches, batch.batchId()))).isEqualTo(csv);
        assertThat(recorded.get(batch.batchId()).status()).isEqualTo(IngestBatches.Status.RECEIVED);
        assertThat(messageLog.find(new MessageLog.Key("gp-smi-register", "G85001", batch.batchId())))
                .hasValueSatisfying(entry -> assertThat(entry.messageType()).isEqualTo("SMI-REGISTER^FULL"));
        assertThat(queued).containsExactly("G85001 " + batch.batchId());
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedWhileStreamingAndNotKept() throws IOException {
        String csv = GpRegisterFixtures.file(GpRegisterFixtures.HEADER, GpRegisterFixtures.ROW_1, GpRegisterFixtures.ROW_2);

        assertThatThrownBy(() -> intake(100).receive("G85001", GpBatch.Mode.DELTA, GpRegisterFixtures.utf8(csv), "http"))
                .isInstanceOf(FileTooLargeException.class);

        try (var kept = Files.list(batches)) {
            assertThat(kept).isEmpty();
        }
        assertThat(recorded.values()).singleElement().satisfies(batch -> {
            assertThat(batch.status()).isEqualTo(IngestBatches.Status.REJECTED);
            assertThat(batch.reason()).contains("100 bytes");
        });
        assertThat(queued).isEmpty();
    }

    @Test
    void aHeaderWithoutRowsIsRefusedAsEmpty() {
        assertThatThrownBy(() -> intake(1_000_000).receive("G85001", GpBatch.Mode.FULL,
                GpRegisterFixtures.utf8(GpRegisterFixtures.file(GpRegisterFixtures.HEADER)), "http"))
                .isInstanceOf(NotCsvException.class).hasMessageContaining("no rows");
        assertThat(queued).isEmpty();
    }
}
