package org.livingwell.gateway.audit;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Date;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAgentNetworkType;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.gateway.security.Partner;

/**
 * AuditEvents in the shape of the FHIR RESTful-interaction pattern and IHE Basic Audit Log Patterns (BALP): type
 * {@code rest}, subtype the interaction, the client as requesting agent (its id as {@code agent.who.identifier}
 * ({@code agent.who.identifier}, {@code altId} and {@code name} its client id: AuditEventProvider searches by it),
 * its organisation as a second agent, the source address, and one entity per resource touched plus the query.
 */
public final class AuditEvents {

    public static final String CLIENT_ID_SYSTEM = "https://fhir.livingwell.example/Id/client-id";
    static final String ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code";
    static final String INTERACTION_SYSTEM = "http://hl7.org/fhir/restful-interaction";
    /** Interactions with the gateway's own API (ingest, admin), which FHIR's list does not name. */
    static final String GATEWAY_ACTION_SYSTEM = "https://fhir.livingwell.example/CodeSystem/lw-gateway-action";
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

    private AuditEvents() {}

    /**
     * @param partner who asked; null when the request carried no valid token
     * @param status the HTTP status answered
     */
    public static AuditEvent event(Coding interaction, AuditEventAction action, Partner partner, String address,
            int status, String outcomeText) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        event.addSubtype(interaction);
        event.setAction(action);
        event.setRecorded(new Date());
        event.setOutcome(status < 400 ? AuditEventOutcome._0 : status < 500 ? AuditEventOutcome._4 : AuditEventOutcome._8);
        event.setOutcomeDesc(status + (outcomeText == null ? "" : " " + outcomeText));
        AuditEvent.AuditEventAgentComponent client = event.addAgent()
                .setType(new CodeableConcept(new Coding(DCM, "110150", "Application")))
                .setRequestor(true)
                .setNetwork(new AuditEvent.AuditEventAgentNetworkComponent().setAddress(address)
                        .setType(AuditEventAgentNetworkType._2));
        if (partner == null) {
            client.setName(JdbcAuditEvents.UNAUTHENTICATED);
        } else {
            client.setWho(new Reference().setIdentifier(new Identifier().setSystem(CLIENT_ID_SYSTEM).setValue(partner.clientId()))
                    .setDisplay(partner.clientId()));
            client.setAltId(partner.clientId()).setName(partner.clientId());
            if (partner.organisation() != null && !partner.organisation().isBlank()) {
                event.addAgent().setType(new CodeableConcept(new Coding(DCM, "110153", "Source Role ID")))
                        .setRequestor(false)
                        .setWho(new Reference().setIdentifier(new Identifier().setSystem(ODS_SYSTEM)
                                .setValue(partner.organisation())));
            }
        }
        event.getSource().setSite("Living Well Gateway").setObserver(new Reference().setDisplay("Living Well Gateway"));
        return event;
    }

    public static Coding restInteraction(String code) {
        return new Coding(INTERACTION_SYSTEM, code, null);
    }

    public static Coding gatewayAction(String code) {
        return new Coding(GATEWAY_ACTION_SYSTEM, code, null);
    }

    /** One entity per resource touched ({@code Patient/123}), searchable with {@code AuditEvent?entity=}. */
    public static void addResources(AuditEvent event, Collection<String> references) {
        references.forEach(reference -> event.addEntity().setWhat(new Reference(reference))
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object")));
    }

    /** The request itself: method, path and query, as BALP's query entity (role 24, the query base64 in {@code query}). */
    public static void addQuery(AuditEvent event, String method, String pathAndQuery) {
        event.addEntity()
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setRole(new Coding("http://terminology.hl7.org/CodeSystem/object-role", "24", "Query"))
                .setDescription(method + " " + pathAndQuery)
                .setQuery(pathAndQuery.getBytes(StandardCharsets.UTF_8));
    }
}
