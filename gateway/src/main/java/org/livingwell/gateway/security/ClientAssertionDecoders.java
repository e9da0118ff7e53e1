package org.livingwell.gateway.security;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;

/**
 * Checks a client's {@code private_key_jwt} assertion as SMART Backend Services asks: signed RS384 or ES384 with
 * one of the client's registered public keys (its static JWKS or its JWKS URL), {@code iss} = {@code sub} = the
 * client id, {@code aud} = this token endpoint's URL, {@code exp} in the future and at most five minutes ahead,
 * and a {@code jti} not used before while its assertion could still be valid. Unsigned ({@code alg: none}) and
 * other algorithms are refused by the key selector. The authorization server answers any failure
 * {@code invalid_client}.
 */
final class ClientAssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    /** Clock difference tolerated between the client and us. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);

    private final Clock clock;
    /** Decoders per client and key source, so a JWKS URL is fetched (and cached by Nimbus) once, not per request. */
    private final Map<String, JwtDecoder> decoders = new ConcurrentHashMap<>();
    /** client id + jti of accepted assertions, until they expire. */
    private final Map<String, Instant> usedIds = new ConcurrentHashMap<>();

    ClientAssertionDecoders(Clock clock) {
        this.clock = clock;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        String jwks = client.getClientSettings().getSetting(PartnerClients.JWKS_SETTING);
        String jwksUrl = client.getClientSettings().getJwkSetUrl();
        String cacheKey = client.getClientId() + "\n" + Objects.toString(jwks, "") + "\n" + Objects.toString(jwksUrl, "");
        return decoders.computeIfAbsent(cacheKey, key -> decoder(client.getClientId(), keys(jwks, jwksUrl)));
    }

    private static JWKSource<SecurityContext> keys(String jwks, String jwksUrl) {
        if (jwks != null) {
            return new ImmutableJWKSet<>(PartnerClients.publicKeys(jwks));
        }
        try {
            return JWKSourceBuilder.create(URI.create(jwksUrl).toURL()).build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalStateException("The client's jwks-url is not a URL", e);
        }
    }

    private JwtDecoder decoder(String clientId, JWKSource<SecurityContext> keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier((claims, context) -> {}); // the validator below checks every claim
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(assertion -> check(clientId, assertion));
        return decoder;
    }

    private OAuth2TokenValidatorResult check(String clientId, Jwt assertion) {
        Instant now = clock.instant();
        Instant expires = assertion.getExpiresAt();
        if (!clientId.equals(assertion.getClaimAsString("iss")) || !clientId.equals(assertion.getSubject())) {
            return refused("iss and sub must both be the client id");
        }
        String tokenUrl = tokenEndpointUrl();
        if (assertion.getAudience() == null || !assertion.getAudience().contains(tokenUrl)) {
            return refused("aud must be the token endpoint " + tokenUrl);
        }
        if (expires == null || !expires.isAfter(now.minus(CLOCK_SKEW))) {
            return refused("the assertion has expired (exp)");
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME).plus(CLOCK_SKEW))) {
            return refused("exp must be at most 5 minutes ahead");
        }
        if (assertion.getId() == null || assertion.getId().isBlank()) {
            return refused("jti is required");
        }
        usedIds.values().removeIf(until -> until.isBefore(now.minus(CLOCK_SKEW)));
        if (usedIds.putIfAbsent(clientId + "\n" + assertion.getId(), expires) != null) {
            return refused("this jti was used before");
        }
        return OAuth2TokenValidatorResult.success();
    }

    /** As the authorization server names itself for this request (its issuer, from the request when not configured). */
    private static String tokenEndpointUrl() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
    }

    private static OAuth2TokenValidatorResult refused(String why) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, why, null));
    }
}
