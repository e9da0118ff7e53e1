package org.livingwell.gateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

class BearerTokensTest {

    private static final String JWT = "eyJhbGciOiJSUzM4NCJ9.eyJzdWIiOiJkZW1vIn0.c2lnbmF0dXJlLXBhcnQ_-w==";

    private final BearerTokens tokens = new BearerTokens();
    private final DefaultBearerTokenResolver spring = new DefaultBearerTokenResolver();

    @Test
    void takesTheTokenFromTheAuthorizationHeaderAsSpringDoesWhateverTheSchemeCase() {
        for (String header : new String[] {"Bearer " + JWT, "bearer " + JWT, "BEARER " + JWT}) {
            MockHttpServletRequest request = get(header);
            assertThat(tokens.resolve(request)).isEqualTo(JWT).isEqualTo(spring.resolve(request));
        }
    }

    @Test
    void noHeaderOrAnotherSchemeIsNoToken() {
        assertThat(tokens.resolve(get(null))).isNull();
        assertThat(tokens.resolve(get("Basic ZGVtbzpzZWNyZXQ="))).isNull();
    }

    @Test
    void refusesAMalformedTokenAsSpringDoes() {
        for (String header : new String[] {"Bearer ", "Bearer two words", "Bearer " + JWT + "==x", "Bearer tok\u00e9n"}) {
            assertThatThrownBy(() -> tokens.resolve(get(header))).as(header)
                    .isInstanceOf(OAuth2AuthenticationException.class).hasMessageContaining("malformed");
        }
    }

    @Test
    void aTokenAlsoInTheQueryIsLeftToSpring() {
        MockHttpServletRequest request = get("Bearer " + JWT);
        request.setQueryString("access_token=other");
        request.setParameter("access_token", "other");
        // Spring ignores a query token unless allowed to take one: whatever it does, so do we.
        assertThat(tokens.resolve(request)).isEqualTo(spring.resolve(request)).isEqualTo(JWT);
    }

    private static MockHttpServletRequest get(String authorization) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/fhir/Patient/1");
        if (authorization != null) {
            request.addHeader("Authorization", authorization);
        }
        return request;
    }
}
