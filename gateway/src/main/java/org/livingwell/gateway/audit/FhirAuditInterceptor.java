package org.livingwell.gateway.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.livingwell.gateway.security.Partner;
import org.springframework.stereotype.Component;

/**
 * One AuditEvent per FHIR interaction a partner makes through {@code /fhir} (registered on the RestfulServer only,
 * so the feeds' own writes are not audited as partner access): what was asked, every resource shown or written,
 * and how it ended, refusals included.
 */
@Component
@Interceptor
public class FhirAuditInterceptor {

    private static final String TOUCHED = FhirAuditInterceptor.class.getName() + ".touched";

    private final AuditTrail trail;

    public FhirAuditInterceptor(AuditTrail trail) {
        this.trail = trail;
    }

    /** After the scope filter (SmartScopeInterceptor, order 0): only what was really shown. */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = 100)
    public void shown(IPreResourceShowDetails details, RequestDetails request) {
        for (int i = 0; i < details.size(); i++) {
            touched(request, details.getResource(i));
        }
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_CREATED)
    public void created(IBaseResource resource, RequestDetails request) {
        touched(request, resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource, RequestDetails request) {
        touched(request, resource);
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource, RequestDetails request) {
        touched(request, resource);
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(ServletRequestDetails request) {
        audit(request, request.getServletResponse().getStatus(), null);
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException failure) {
        if (request instanceof ServletRequestDetails servlet) {
            audit(servlet, failure.getStatusCode(), failure.getMessage());
        }
        return true;
    }

    private void audit(ServletRequestDetails request, int status, String outcome) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == RestOperationTypeEnum.METADATA || request.isSubRequest()) {
            return; // metadata is open to all and says nothing about anyone; a batch entry is part of its batch's event
        }
        AuditEvent event = AuditEvents.event(AuditEvents.restInteraction(interaction(operation)), action(operation),
                Partner.of(request.getServletRequest()).orElse(null), request.getServletRequest().getRemoteAddr(), status, outcome);
        @SuppressWarnings("unchecked")
        Set<String> touched = (Set<String>) request.getServletRequest().getAttribute(TOUCHED);
        if (touched == null && request.getId() != null && request.getId().hasIdPart()) {
            touched = Set.of(request.getId().toUnqualifiedVersionless().getValue());
        }
        if (touched != null) {
            AuditEvents.addResources(event, touched);
        }
        AuditEvents.addQuery(event, request.getServletRequest().getMethod(), RequestAudit.pathAndQuery(request.getServletRequest()));
        trail.record(event);
    }

    /** Kept on the servlet request, which a batch's entries (run on other threads) share with the batch. */
    @SuppressWarnings("unchecked")
    private static void touched(RequestDetails request, IBaseResource resource) {
        if (resource == null || !(request instanceof ServletRequestDetails servlet) || resource.getIdElement().getIdPart() == null) {
            return;
        }
        HttpServletRequest servletRequest = servlet.getServletRequest();
        synchronized (servletRequest) {
            Set<String> touched = (Set<String>) servletRequest.getAttribute(TOUCHED);
            if (touched == null) {
                touched = new LinkedHashSet<>();
                servletRequest.setAttribute(TOUCHED, touched);
            }
            touched.add(resource.getIdElement().toUnqualifiedVersionless().getValue());
        }
    }

    /** HAPI had not yet told what the request was (e.g. refused as malformed): recorded as an operation. */
    private static String interaction(RestOperationTypeEnum operation) {
        if (operation == null) {
            return "operation";
        }
        return switch (operation) {
            case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_SERVER, VALIDATE -> "operation";
            case GET_PAGE -> "search-type";
            default -> operation.getCode();
        };
    }

    private static AuditEventAction action(RestOperationTypeEnum operation) {
        if (operation == null) {
            return AuditEventAction.E;
        }
        return switch (operation) {
            case CREATE -> AuditEventAction.C;
            case UPDATE, PATCH, META_ADD, META_DELETE -> AuditEventAction.U;
            case DELETE -> AuditEventAction.D;
            case TRANSACTION, BATCH, EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, EXTENDED_OPERATION_SERVER,
                    VALIDATE -> AuditEventAction.E;
            default -> AuditEventAction.R;
        };
    }
}
