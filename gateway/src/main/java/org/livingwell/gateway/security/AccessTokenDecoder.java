package org.livingwell.gateway.security;

import com.nimbusds.jwt.JWTParser;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoders;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;

/**
 * Checks bearer tokens: our own (signed by the gateway's key, from {@code /oauth2/token}) and, when
 * {@code gateway.security.issuer-uri} names one, those of an external issuer (the region's identity provider),
 * checked against the keys and issuer its OpenID / OAuth discovery document publishes, found on first use (so
 * the gateway starts while the issuer is unreachable). A token goes to the one its {@code iss} names; its signature
 * then decides.
 *
 * <p>A partner sends the same token with every request for up to five minutes; checking its signature and parsing it
 * each time was most of what authentication cost per request (JFR, bench/security-overhead.sh). So a token that has
 * passed is remembered, by its exact text, and taken again without those steps until it expires.
 */
final class AccessTokenDecoder implements JwtDecoder {

    private final Cache<String, Jwt> accepted = Caffeine.newBuilder().maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(5)).build();
    private final JwtDecoder own;
    private final String externalIssuer;
    private final JwtDecoder external;

    /** @param externalIssuer empty or null for our own tokens only */
    AccessTokenDecoder(JwtDecoder own, String externalIssuer) {
        this.own = own;
        this.externalIssuer = externalIssuer == null || externalIssuer.isBlank() ? null : externalIssuer;
        this.external = this.externalIssuer == null ? null
                : new SupplierJwtDecoder(() -> JwtDecoders.fromIssuerLocation(this.externalIssuer));
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt remembered = accepted.getIfPresent(token);
        if (remembered != null && remembered.getExpiresAt() != null && remembered.getExpiresAt().isAfter(Instant.now())) {
            return remembered;
        }
        Jwt jwt = external != null && externalIssuer.equals(claimedIssuer(token)) ? external.decode(token) : own.decode(token);
        if (jwt.getExpiresAt() != null) {
            accepted.put(token, jwt);
        }
        return jwt;
    }

    /** The issuer the token says it comes from, not yet verified. */
    private static String claimedIssuer(String token) {
        try {
            return JWTParser.parse(token).getJWTClaimsSet().getIssuer();
        } catch (ParseException e) {
            throw new BadJwtException("Not a JWT: " + e.getMessage(), e);
        }
    }
}
