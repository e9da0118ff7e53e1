package org.livingwell.gateway.security;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.livingwell.gateway.audit.RequestAudit;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AccessTokenResponseAuthenticationSuccessHandler;

/**
 * The token endpoint's answers, as Spring Authorization Server gives them ({@code invalid_client} as 401, other
 * errors as 400), each also audited: a token issued (to which client, with which scopes) or a request refused (why).
 */
final class AuditedTokenResponses {

    private final OAuth2AccessTokenResponseAuthenticationSuccessHandler tokenResponse =
            new OAuth2AccessTokenResponseAuthenticationSuccessHandler();
    private final OAuth2ErrorHttpMessageConverter errorResponse = new OAuth2ErrorHttpMessageConverter();
    private final RequestAudit audit;

    AuditedTokenResponses(RequestAudit audit) {
        this.audit = audit;
    }

    void issued(HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, ServletException {
        tokenResponse.onAuthenticationSuccess(request, response, authentication);
        OAuth2AccessTokenAuthenticationToken token = (OAuth2AccessTokenAuthenticationToken) authentication;
        RegisteredClient client = token.getRegisteredClient();
        Map<String, Object> settings = client.getClientSettings().getSettings();
        Object practices = settings.get(PartnerClients.PRACTICES_SETTING);
        audit.tokenIssued(request, new Partner(client.getClientId(), (String) settings.get(PartnerClients.ORGANISATION_SETTING),
                token.getAccessToken().getScopes(), practices instanceof List<?> list
                        ? Set.copyOf(list.stream().map(String::valueOf).toList()) : Set.of()));
    }

    void refused(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
            throws IOException {
        OAuth2Error error = failure instanceof OAuth2AuthenticationException oauth
                ? oauth.getError() : new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST);
        HttpStatus status = OAuth2ErrorCodes.INVALID_CLIENT.equals(error.getErrorCode())
                ? HttpStatus.UNAUTHORIZED : HttpStatus.BAD_REQUEST;
        ServletServerHttpResponse httpResponse = new ServletServerHttpResponse(response);
        httpResponse.setStatusCode(status);
        errorResponse.write(error, null, httpResponse);
        audit.refused(request, status.value(), "token request refused: " + error.getErrorCode());
    }
}
