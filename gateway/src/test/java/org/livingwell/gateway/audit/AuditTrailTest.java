package org.livingwell.gateway.audit;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.junit.jupiter.api.Test;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.security.Partner;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;

/** The audit trail keeps every event it was given, those still queued at a clean shutdown included. */
class AuditTrailTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @Test
    void eventsStillQueuedAtShutdownAreWrittenBeforeItEnds() {
        JdbcAuditEvents store = store();
        AuditTrail trail = new AuditTrail(store);
        trail.start();
        Partner partner = new Partner("audit-test-client", "RV5", Set.of(), Set.of());
        for (int i = 0; i < 2_000; i++) {
            AuditEvent event = AuditEvents.event(AuditEvents.restInteraction("read"), AuditEventAction.R, partner,
                    "127.0.0.1", 200, null);
            AuditEvents.addResources(event, List.of("Patient/" + i));
            trail.record(event);
        }
        trail.stop(); // at once: most are still queued

        assertThat(trail.isRunning()).isFalse();
        List<AuditEvent> kept = store.search(new JdbcAuditEvents.Criteria("audit-test-client", null, null, null, null,
                null, 5_000));
        assertThat(kept).hasSize(2_000);
        assertThat(store.search(new JdbcAuditEvents.Criteria(null, null, null, "Patient/1999", null, null, 10)))
                .singleElement().satisfies(event -> assertThat(event.getAgentFirstRep().getAltId()).isEqualTo("audit-test-client"));
        assertThat(store.search(new JdbcAuditEvents.Criteria(null, Instant.now().plusSeconds(60), null, null, null, null, 10)))
                .as("nothing recorded in the future").isEmpty();
    }

    private static JdbcAuditEvents store() {
        JdbcDataSource h2 = new JdbcDataSource();
        String url = "jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        h2.setURL(url);
        DataSourceProperties database = new DataSourceProperties();
        database.setUrl(url);
        GatewayProperties gateway = new GatewayProperties(null, null, null, null, null, null, null, null, null, null);
        return new JdbcAuditEvents(h2, database, gateway, FHIR);
    }
}
