package org.livingwell.gateway.security;

import ca.uhn.fhir.context.FhirContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.livingwell.gateway.audit.RequestAudit;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers a request without a valid token ({@code 401}) or without the scope it needs ({@code 403}) with a FHIR
 * OperationOutcome, besides the {@code WWW-Authenticate} header of RFC 6750 that Spring Security sets; and has the
 * refusal audited.
 */
final class OperationOutcomeErrors implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();
    private final FhirContext fhirContext;
    private final RequestAudit refusals;

    OperationOutcomeErrors(FhirContext fhirContext, RequestAudit refusals) {
        this.fhirContext = fhirContext;
        this.refusals = refusals;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        bearerEntryPoint.commence(request, response, failure);
        String reason = request.getHeader("Authorization") == null
                ? "A bearer access token is required (POST /oauth2/token, see /.well-known/smart-configuration)"
                : "The access token is not valid: " + failure.getMessage();
        write(response, IssueType.LOGIN, reason);
        refusals.refused(request, HttpServletResponse.SC_UNAUTHORIZED, reason);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        bearerDenied.handle(request, response, denied);
        String reason = "The access token's scopes or organisation do not allow " + request.getMethod() + " "
                + request.getRequestURI();
        write(response, IssueType.FORBIDDEN, reason);
        refusals.refused(request, HttpServletResponse.SC_FORBIDDEN, reason);
    }

    private void write(HttpServletResponse response, IssueType type, String diagnostics) throws IOException {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(IssueSeverity.ERROR).setCode(type).setDiagnostics(diagnostics);
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getWriter().write(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }
}
