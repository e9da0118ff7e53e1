package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code gateway.broker-url} set, the gateway uses that broker instead of its embedded one (how
 * several gateway instances share one Artemis cluster). The "external" broker here is a separate
 * Artemis server with a TCP acceptor, started by the test.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Inlined, not a @DynamicPropertySource: ExternalBrokerSetting reads it while the environment is
        // prepared, before dynamic properties exist. The port comes from the system property set below.
        properties = {"gateway.broker-url=tcp://127.0.0.1:${lw.test.external-broker-port}",
                "gateway.security.bootstrap-client-id=" + GatewayTestSupport.TEST_CLIENT_ID,
                "gateway.security.bootstrap-client-secret=" + GatewayTestSupport.TEST_CLIENT_SECRET})
// Closed after this class, while its broker still runs (the broker ends with the test JVM): a cached
// context would go on trying to reconnect to it for the rest of the run.
@DirtiesContext
class ExternalBrokerIT extends SharedRecordContract {

    private static final int BROKER_PORT = freePort();

    static {
        System.setProperty("lw.test.external-broker-port", String.valueOf(BROKER_PORT));
    }
    private static final EmbeddedActiveMQ EXTERNAL_BROKER = startExternalBroker();
    private static final int MLLP_PORT = freePort();
    private static final Path DATA_DIR = tempDir("lw-gateway-external-broker-it");

    @DynamicPropertySource
    static void externalBroker(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", DATA_DIR::toString);
        registry.add("gateway.mllp.port", () -> MLLP_PORT);
    }

    private static EmbeddedActiveMQ startExternalBroker() {
        try {
            EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(new ConfigurationImpl()
                    .setPersistenceEnabled(false).setSecurityEnabled(false)
                    .addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + BROKER_PORT));
            broker.start();
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the stand-in external broker", e);
        }
    }

    @Test
    void receivedMessagesTravelThroughTheExternalBroker() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        try (MllpClient trust = mllpClient()) {
            assertThat(trust.send(adtA04("EXT-1", nhsNumber, "External"))).contains("MSA|AA|EXT-1");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> patientsWithNhsNumber(nhsNumber).size() == 1);
        Queue inbound = EXTERNAL_BROKER.getActiveMQServer().locateQueue(SimpleString.of(gateway.queues().trustInbound()));
        assertThat(inbound).as("the inbound queue on the external broker, which has %s",
                EXTERNAL_BROKER.getActiveMQServer().getPostOffice().getAddresses()).isNotNull();
        assertThat(inbound.getMessagesAdded()).isPositive();
    }
}
