package org.livingwell.gateway.audit;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.IdType;
import org.springframework.stereotype.Component;

/**
 * {@code /fhir/AuditEvent}: read and search only (partners cannot write or delete audit events; SmartScopeInterceptor
 * lets only the auditor scope in). Searches, newest first, up to {@code _count} (default 50; HAPI holds it to the server's
 * largest page, and the query to {@value #MAX_COUNT} rows whatever is asked; narrow
 * with {@code date} to look further back):
 * {@code agent} (the client id, or a reference ending in it: {@code agent=Device/<client id>}), {@code agent-name}
 * and {@code altid} (the client id, or {@code unauthenticated}), {@code date} (with prefixes), {@code entity}
 * ({@code Patient/123}), {@code outcome} ({@code 0}, {@code 4}, {@code 8}), {@code subtype} (the code).
 */
@Component
public class AuditEventProvider implements IResourceProvider {

    private static final int DEFAULT_COUNT = 50;
    private static final int MAX_COUNT = 1000;

    private final JdbcAuditEvents store;

    public AuditEventProvider(JdbcAuditEvents store) {
        this.store = store;
    }

    @Override
    public Class<AuditEvent> getResourceType() {
        return AuditEvent.class;
    }

    @Read
    public AuditEvent read(@IdParam IdType id) {
        return store.find(id.getIdPart()).orElseThrow(() -> new ResourceNotFoundException(id));
    }

    @Search(allowUnknownParams = false)
    public List<AuditEvent> search(@OptionalParam(name = AuditEvent.SP_AGENT) ReferenceParam agent,
            @OptionalParam(name = AuditEvent.SP_AGENT_NAME) StringParam agentName,
            @OptionalParam(name = AuditEvent.SP_ALTID) TokenParam altId,
            @OptionalParam(name = AuditEvent.SP_DATE) DateRangeParam date,
            @OptionalParam(name = AuditEvent.SP_ENTITY) ReferenceParam entity,
            @OptionalParam(name = AuditEvent.SP_OUTCOME) TokenParam outcome,
            @OptionalParam(name = AuditEvent.SP_SUBTYPE) TokenParam subtype,
            @Count Integer count) {
        List<String> clients = Stream.of(agent == null ? null : agent.getIdPart(),
                        agentName == null ? null : agentName.getValue(), altId == null ? null : altId.getValue())
                .filter(value -> value != null).distinct().toList();
        if (clients.size() > 1) {
            return List.of(); // agent, agent-name and altid name the same client here: different values match nothing
        }
        String client = clients.isEmpty() ? null : clients.get(0);
        if (count != null && count < 1) {
            throw new InvalidRequestException("_count must be at least 1");
        }
        return store.search(new JdbcAuditEvents.Criteria(client,
                date == null || date.getLowerBoundAsInstant() == null ? null : date.getLowerBoundAsInstant().toInstant(),
                date == null || date.getUpperBoundAsInstant() == null ? null : date.getUpperBoundAsInstant().toInstant(),
                entity == null ? null : entity.getValue(), outcome == null ? null : outcome.getValue(),
                subtype == null ? null : subtype.getValue(),
                Math.min(count == null ? DEFAULT_COUNT : count, MAX_COUNT)));
    }
}
