package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.spi.InflightRepository;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.livingwell.routes.trust.MllpClient;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.trust.TrustHl7Route;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The shared-record contract on the PostgreSQL server of this machine (127.0.0.1:5432, database
 * {@code test}, trust auth), in a schema and login role of its own that are recreated on every run,
 * plus what only a real server outage shows: messages wait on the queue and are stored once the
 * database is back. Runs when {@code CI=true}; elsewhere JUnit reports it skipped with the reason.
 */
@ActiveProfiles("postgres")
@EnabledIfEnvironmentVariable(named = "CI", matches = "true",
        disabledReason = "PostgreSQL tests run only with CI=true (they need PostgreSQL on 127.0.0.1:5432, database 'test', trust auth)")
class SharedRecordPostgresIT extends SharedRecordContract {

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    private static final String ROLE_AND_SCHEMA = "lw_gateway_it";
    private static final int MLLP_PORT = freePort();
    private static final Path DATA_DIR = tempDir("lw-gateway-pg-it");

    @DynamicPropertySource
    static void postgresProperties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> ADMIN_URL + "?currentSchema=" + ROLE_AND_SCHEMA);
        registry.add("spring.datasource.username", () -> ROLE_AND_SCHEMA);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "3000");
        registry.add("gateway.store.retry.max-delay-ms", () -> "2000");
        // This context runs beside the H2 one: its own broker journal and listener.
        registry.add("gateway.data-dir", DATA_DIR::toString);
        registry.add("gateway.mllp.port", () -> MLLP_PORT);
    }

    @Autowired
    private CamelContext camel;

    @BeforeAll
    static void freshSchema() throws SQLException {
        admin("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + ROLE_AND_SCHEMA + "') "
                + "THEN CREATE ROLE " + ROLE_AND_SCHEMA + " LOGIN; END IF; END $$",
                "ALTER ROLE " + ROLE_AND_SCHEMA + " LOGIN",
                "DROP SCHEMA IF EXISTS " + ROLE_AND_SCHEMA + " CASCADE",
                "CREATE SCHEMA " + ROLE_AND_SCHEMA + " AUTHORIZATION " + ROLE_AND_SCHEMA);
    }

    @Test
    void messagesWaitOnTheQueueWhileTheDatabaseIsDownAndAreStoredWhenItIsBack() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        camel.getInflightRepository().setInflightBrowseEnabled(true);
        // The gateway's role may no longer log in, and its open connections are cut: the database is "down".
        admin("ALTER ROLE " + ROLE_AND_SCHEMA + " NOLOGIN",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + ROLE_AND_SCHEMA + "'");
        try (MllpClient trust = mllpClient()) {
            assertThat(trust.send(adtA04("OUTAGE-1", nhsNumber, "Waited"))).contains("MSA|AA|OUTAGE-1");
            // The message is held by the store consumer, which has already failed to reach the database twice.
            await().atMost(Duration.ofSeconds(60)).until(() -> storeRetries("OUTAGE-1") >= 2);
        } finally {
            admin("ALTER ROLE " + ROLE_AND_SCHEMA + " LOGIN");
        }
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> patientsWithNhsNumber(nhsNumber).size() == 1);
        MessageLog.Entry logged = messageLog.find(new MessageLog.Key("trust-hl7", "TRUSTEPR^LWTRUST", "OUTAGE-1")).orElseThrow();
        assertThat(logged.status()).isEqualTo(MessageLog.Status.APPLIED);
        assertThat(logged.attempts()).as("attempts before the database took it").isGreaterThanOrEqualTo(3);
    }

    /** How often the trust feed's store consumer has retried the message it holds, if it holds this one. */
    private int storeRetries(String controlId) {
        return camel.getInflightRepository().browse(TrustHl7Route.STORE_ROUTE_ID).stream()
                .map(InflightRepository.InflightExchange::getExchange)
                .filter(exchange -> controlId.equals(exchange.getMessage().getHeader(TrustHl7Route.CONTROL_ID_HEADER)))
                .mapToInt(exchange -> exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class))
                .max().orElse(0);
    }

    private static void admin(String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
