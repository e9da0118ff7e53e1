package org.livingwell.gateway.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.livingwell.gateway.GatewayProperties;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit trail's store: each AuditEvent as FHIR JSON in table {@code lw_audit_event} (of the record's database on
 * PostgreSQL, of a database file of its own on H2),
 * with the columns its searches use, and the resources it names in {@code lw_audit_entity}. Append-only: nothing
 * here updates or deletes.
 *
 * <p>Why not HAPI's own AuditEvent storage: an AuditEvent is written for every partner request, and storing one
 * through the JPA server (about 20 search indexes, a transaction's bookkeeping) took 29% of the CPU of a secured
 * gateway under read load (JFR, bench/security-overhead.sh), about as much as the reads themselves; a batched row
 * insert costs a small fraction of that.
 */
@Component
public class JdbcAuditEvents implements DisposableBean {

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS lw_audit_event (
                id VARCHAR(36) PRIMARY KEY,
                recorded TIMESTAMP WITH TIME ZONE NOT NULL,
                client_id VARCHAR(255),
                subtype VARCHAR(500),
                outcome VARCHAR(2) NOT NULL,
                resource_json VARCHAR(1000000) NOT NULL)""";
    private static final String ENTITY_SCHEMA = """
            CREATE TABLE IF NOT EXISTS lw_audit_entity (
                event_id VARCHAR(36) NOT NULL,
                reference VARCHAR(500) NOT NULL)""";

    /** The client id searched for to find requests that had no valid token (stored without one). */
    public static final String UNAUTHENTICATED = "unauthenticated";

    /** What an AuditEvent search asks; nulls match anything. */
    public record Criteria(String clientId, Instant from, Instant to, String entity, String outcome, String subtype, int count) {}

    private final DataSource dataSource;
    private final JdbcTemplate jdbc;
    private final NamedParameterJdbcTemplate named;
    private final TransactionTemplate transactions;
    private final FhirContext fhirContext;

    public JdbcAuditEvents(DataSource recordDataSource, DataSourceProperties recordDatabase, GatewayProperties gateway,
            FhirContext fhirContext) {
        this.dataSource = auditDataSource(recordDataSource, recordDatabase, gateway);
        this.jdbc = new JdbcTemplate(dataSource);
        jdbc.execute(SCHEMA);
        jdbc.execute(ENTITY_SCHEMA);
        jdbc.execute("CREATE INDEX IF NOT EXISTS lw_audit_event_recorded ON lw_audit_event (recorded)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS lw_audit_event_client ON lw_audit_event (client_id, recorded)");
        jdbc.execute("CREATE INDEX IF NOT EXISTS lw_audit_entity_reference ON lw_audit_entity (reference)");
        this.named = new NamedParameterJdbcTemplate(jdbc);
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.fhirContext = fhirContext;
    }

    /**
     * On PostgreSQL, the record's database. On H2, a database file of its own beside the record's
     * ({@code <data-dir>/h2/audit}): an H2 commit writes every change pending in its file, so audit inserts in the
     * record's file made each partner read's own commit (HAPI keeps its searches) slower (JFR: H2 took 1.7 times
     * the CPU per read with audit in the same file). Its page cache is 1 MB, not H2's 16 MB: the trail is written far
     * more than read, and freshly written pages kept in a large cache were copied at every young collection (GC logs:
     * ~5 MB more survivors than an open gateway, and longer pauses setting a read's p99).
     */
    private static DataSource auditDataSource(DataSource recordDataSource, DataSourceProperties recordDatabase,
            GatewayProperties gateway) {
        if (recordDatabase.getUrl() == null || !recordDatabase.getUrl().startsWith("jdbc:h2:file:")) {
            return recordDataSource;
        }
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("audit");
        pool.setJdbcUrl("jdbc:h2:file:" + gateway.dataDir().resolve("h2").resolve("audit").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;CACHE_SIZE=1024");
        pool.setUsername("sa");
        pool.setPassword("");
        pool.setMaximumPoolSize(4);
        return pool;
    }

    /** Closes the audit database's own pool, if it has one (after AuditTrail has written what was queued). */
    @Override
    public void destroy() {
        if (dataSource instanceof HikariDataSource own) {
            own.close();
        }
    }

    /** Gives each event an id and stores them all in one transaction. */
    public void write(List<AuditEvent> events) {
        IParser json = fhirContext.newJsonParser();
        List<Object[]> rows = new ArrayList<>(events.size());
        List<Object[]> entities = new ArrayList<>();
        for (AuditEvent event : events) {
            String id = UUID.randomUUID().toString();
            event.setId(id);
            event.getMeta().setLastUpdated(event.getRecorded());
            rows.add(new Object[] {id, Timestamp.from(event.getRecorded().toInstant()), clientId(event),
                    event.getSubtypeFirstRep().getCode(), event.getOutcome().toCode(), json.encodeResourceToString(event)});
            event.getEntity().stream().filter(entity -> entity.getWhat().hasReference())
                    .forEach(entity -> entities.add(new Object[] {id, entity.getWhat().getReference()}));
        }
        transactions.executeWithoutResult(status -> {
            jdbc.batchUpdate("INSERT INTO lw_audit_event (id, recorded, client_id, subtype, outcome, resource_json)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", rows);
            jdbc.batchUpdate("INSERT INTO lw_audit_entity (event_id, reference) VALUES (?, ?)", entities);
        });
    }

    public Optional<AuditEvent> find(String id) {
        return jdbc.query("SELECT resource_json FROM lw_audit_event WHERE id = ?", (row, n) -> row.getString(1), id)
                .stream().findFirst().map(this::parse);
    }

    /** Newest first. */
    public List<AuditEvent> search(Criteria criteria) {
        StringBuilder sql = new StringBuilder("SELECT e.resource_json FROM lw_audit_event e WHERE 1 = 1");
        MapSqlParameterSource parameters = new MapSqlParameterSource("count", criteria.count());
        if (UNAUTHENTICATED.equals(criteria.clientId())) {
            sql.append(" AND e.client_id IS NULL");
        } else if (criteria.clientId() != null) {
            sql.append(" AND e.client_id = :client");
            parameters.addValue("client", criteria.clientId());
        }
        if (criteria.from() != null) {
            sql.append(" AND e.recorded >= :from");
            parameters.addValue("from", Timestamp.from(criteria.from()));
        }
        if (criteria.to() != null) {
            sql.append(" AND e.recorded <= :to");
            parameters.addValue("to", Timestamp.from(criteria.to()));
        }
        if (criteria.outcome() != null) {
            sql.append(" AND e.outcome = :outcome");
            parameters.addValue("outcome", criteria.outcome());
        }
        if (criteria.subtype() != null) {
            sql.append(" AND e.subtype = :subtype");
            parameters.addValue("subtype", criteria.subtype());
        }
        if (criteria.entity() != null) {
            sql.append(" AND EXISTS (SELECT 1 FROM lw_audit_entity x WHERE x.event_id = e.id AND x.reference = :entity)");
            parameters.addValue("entity", criteria.entity());
        }
        sql.append(" ORDER BY e.recorded DESC LIMIT :count");
        return named.query(sql.toString(), parameters, (row, n) -> parse(row.getString(1)));
    }

    /** The requesting agent's client id (its altId), if the request had a valid token. */
    private static String clientId(AuditEvent event) {
        return event.getAgent().stream().filter(agent -> agent.getRequestor() && agent.hasAltId())
                .map(AuditEvent.AuditEventAgentComponent::getAltId).findFirst().orElse(null);
    }

    private AuditEvent parse(String json) {
        return fhirContext.newJsonParser().parseResource(AuditEvent.class, json);
    }
}
