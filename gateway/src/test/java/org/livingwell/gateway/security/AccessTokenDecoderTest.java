package org.livingwell.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;

/**
 * Our own tokens and, with an external issuer configured, that issuer's: found through its discovery document and
 * JWKS on a real HTTP server (the region's identity provider is not ours, so it is stood in for here).
 */
class AccessTokenDecoderTest {

    private final RSAKey gatewayKey = key("gateway");
    private final RSAKey issuerKey = key("region-idp");
    private HttpServer identityProvider;
    private String issuer;

    @BeforeEach
    void startIdentityProvider() throws IOException {
        identityProvider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + identityProvider.getAddress().getPort() + "/realms/lambeth";
        identityProvider.createContext("/realms/lambeth/.well-known/openid-configuration", exchange -> answer(exchange,
                "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/keys\",\"subject_types_supported\":[\"public\"]}"));
        identityProvider.createContext("/realms/lambeth/keys", exchange -> answer(exchange,
                new JWKSet(issuerKey.toPublicJWK()).toString()));
        identityProvider.start();
    }

    @AfterEach
    void stopIdentityProvider() {
        identityProvider.stop(0);
    }

    @Test
    void aTokenTakenOnceIsTakenAgainUntilItExpiresButNoLonger() throws Exception {
        AccessTokenDecoder decoder = decoder("");
        String fresh = token(gatewayKey, "http://gateway.example", Instant.now().plusSeconds(120));
        assertThat(decoder.decode(fresh).getSubject()).isEqualTo("partner-1");
        assertThat(decoder.decode(fresh).getSubject()).isEqualTo("partner-1");
        // Expiring a second from now (within the default 60 s clock skew the decoder allows), then gone.
        String shortLived = token(gatewayKey, "http://gateway.example", Instant.now().minusSeconds(59));
        assertThat(decoder.decode(shortLived).getSubject()).isEqualTo("partner-1");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThatThrownBy(() -> decoder.decode(shortLived)).isInstanceOf(JwtException.class));
    }

    @Test
    void ownTokensOnlyWithoutAnExternalIssuer() throws Exception {
        AccessTokenDecoder decoder = decoder("");
        assertThat(decoder.decode(token(gatewayKey, "http://gateway.example")).getSubject()).isEqualTo("partner-1");
        assertThatThrownBy(() -> decoder.decode(token(issuerKey, issuer))).isInstanceOf(JwtException.class);
    }

    @Test
    void theExternalIssuersTokensAreCheckedAgainstItsPublishedKeys() throws Exception {
        AccessTokenDecoder decoder = decoder(issuer);
        assertThat(decoder.decode(token(issuerKey, issuer)).getClaimAsString("scope")).isEqualTo("system/Patient.rs");
        assertThat(decoder.decode(token(gatewayKey, "http://gateway.example")).getSubject()).isEqualTo("partner-1");
        // Claiming the issuer without its key, or using its key under another name, gets nowhere.
        assertThatThrownBy(() -> decoder.decode(token(gatewayKey, issuer))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(token(key("stranger"), issuer))).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> decoder.decode(token(issuerKey, "http://gateway.example"))).isInstanceOf(JwtException.class);
    }

    private AccessTokenDecoder decoder(String externalIssuer) {
        return new AccessTokenDecoder(OAuth2AuthorizationServerConfiguration.jwtDecoder(
                new ImmutableJWKSet<>(new JWKSet(gatewayKey))), externalIssuer);
    }

    private static String token(RSAKey key, String issuer) throws Exception {
        return token(key, issuer, Instant.now().plusSeconds(120));
    }

    private static String token(RSAKey key, String issuer, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().issuer(issuer).subject("partner-1").claim("scope", "system/Patient.rs")
                        .expirationTime(Date.from(expires)).issueTime(Date.from(expires.minusSeconds(120))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey key(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
