package org.livingwell.gateway.audit;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.livingwell.gateway.security.Partner;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Audits what is not a FHIR interaction HAPI sees: each call of the ingest and admin APIs (a Spring MVC interceptor,
 * see WebAuditConfig), and every request refused before it got anywhere (no valid token, or a scope missing).
 */
@Component
public class RequestAudit implements HandlerInterceptor {

    private final AuditTrail trail;

    public RequestAudit(AuditTrail trail) {
        this.trail = trail;
    }

    /** An access token issued at the token endpoint (the request has no token of its own yet). */
    public void tokenIssued(HttpServletRequest request, Partner partner) {
        AuditEvent event = AuditEvents.event(AuditEvents.gatewayAction("POST /oauth2/token"), AuditEventAction.E, partner,
                request.getRemoteAddr(), HttpServletResponse.SC_OK, "token issued, scope " + String.join(" ", partner.scopes()));
        AuditEvents.addQuery(event, request.getMethod(), request.getRequestURI());
        trail.record(event);
    }

    /** A request refused with 401 or 403 by the security filters (or a token request refused). */
    public void refused(HttpServletRequest request, int status, String reason) {
        AuditEvent event = AuditEvents.event(interactionGuess(request), action(request.getMethod()),
                Partner.current().orElse(null), request.getRemoteAddr(), status, reason);
        AuditEvents.addQuery(event, request.getMethod(), pathAndQuery(request));
        trail.record(event);
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler, Exception failure) {
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String action = request.getMethod() + " " + (pattern == null ? request.getRequestURI() : pattern);
        AuditEvent event = AuditEvents.event(AuditEvents.gatewayAction(action), action(request.getMethod()),
                Partner.current().orElse(null), request.getRemoteAddr(), response.getStatus(), null);
        AuditEvents.addQuery(event, request.getMethod(), pathAndQuery(request));
        String location = response.getHeader("Location");
        if (location != null) {
            event.getEntityFirstRep().setDescription(event.getEntityFirstRep().getDescription() + " -> " + location);
        }
        trail.record(event);
    }

    static AuditEventAction action(String method) {
        return switch (method) {
            case "GET", "HEAD" -> AuditEventAction.R;
            case "PUT", "PATCH" -> AuditEventAction.U;
            case "DELETE" -> AuditEventAction.D;
            default -> AuditEventAction.C;
        };
    }

    /** For a refused FHIR request HAPI never parsed: the interaction its method and path suggest. */
    private static Coding interactionGuess(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (!path.startsWith("/fhir")) {
            return AuditEvents.gatewayAction(request.getMethod() + " " + path);
        }
        String[] parts = path.substring("/fhir".length()).replaceAll("^/+|/+$", "").split("/");
        boolean typeOnly = parts.length <= 1;
        return AuditEvents.restInteraction(switch (request.getMethod()) {
            case "GET" -> path.contains("$") ? "operation" : typeOnly ? "search-type" : "read";
            case "POST" -> path.contains("$") ? "operation" : parts[0].isEmpty() ? "transaction" : "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "operation";
        });
    }

    static String pathAndQuery(HttpServletRequest request) {
        return request.getRequestURI() + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
    }
}
