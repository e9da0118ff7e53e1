package org.livingwell.gateway.security;

import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a {@code private_key_jwt} client assertion sent as SMART Backend Services clients send it: without a
 * {@code client_id} parameter (optional in RFC 7523, which Spring Authorization Server's own converter requires).
 * The client is named by the assertion's {@code sub}; ClientAssertionDecoders then checks the signature against
 * that client's keys and that {@code iss} and {@code sub} both name it.
 */
final class ClientAssertionConverter implements AuthenticationConverter {

    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Override
    public Authentication convert(HttpServletRequest request) {
        String assertion = request.getParameter("client_assertion");
        if (!JWT_BEARER.equals(request.getParameter("client_assertion_type")) || assertion == null
                || request.getParameter("client_id") != null) {
            return null; // not ours: the authorization server's converters take it
        }
        String clientId;
        try {
            clientId = JWTParser.parse(assertion).getJWTClaimsSet().getSubject();
        } catch (ParseException e) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        if (clientId == null || clientId.isBlank()) {
            throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
        }
        // Named by the assertion type, as the authorization server's converter does: its provider tells private_key_jwt
        // from client_secret_jwt by the registered client.
        return new OAuth2ClientAuthenticationToken(clientId, new ClientAuthenticationMethod(JWT_BEARER), assertion, null);
    }
}
