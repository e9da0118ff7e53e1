package org.livingwell.routes.trust;

import org.livingwell.routes.trust.MllpClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.livingwell.routes.trust.hl7.Hl7Fixtures.segment;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.store.InMemoryRecordStore;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;

/** Stopping the gateway while the shared record is down loses nothing: the broker keeps the message. */
class TrustHl7RestartTest {

    private static TrustHl7TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TrustHl7TestGateway.start();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    @Test
    void messageAcknowledgedWhileTheStoreIsDownIsAppliedAfterARestart() throws Exception {
        gateway.store().failTransiently(Hl7Fixtures.NHS_NUMBER, Integer.MAX_VALUE);
        try (MllpClient client = gateway.connect()) {
            assertThat(segment(client.send(Hl7Fixtures.adtA04("RS-1")), "MSA")).isEqualTo("MSA|AA|RS-1");
        }
        awaitAttempts(gateway.store(), 2);

        Instant stopping = Instant.now();
        gateway.stopCamel();

        // Shutdown does not wait out the retries, and the message goes back to the queue.
        assertThat(Duration.between(stopping, Instant.now())).isLessThan(Duration.ofSeconds(20));
        assertThat(gateway.depth(TrustHl7TestGateway.INBOUND_QUEUE)).isEqualTo(1);

        InMemoryRecordStore recovered = new InMemoryRecordStore();
        gateway.startCamel(recovered);
        await("the message is applied after the restart").atMost(Duration.ofSeconds(15))
                .until(() -> recovered.appliedFor(Hl7Fixtures.NHS_NUMBER).size() == 1);
    }

    private static void awaitAttempts(InMemoryRecordStore store, int attempts) {
        await("store attempted " + attempts + " times").atMost(Duration.ofSeconds(15))
                .until(() -> store.attempts(Hl7Fixtures.NHS_NUMBER) >= attempts);
    }
}
