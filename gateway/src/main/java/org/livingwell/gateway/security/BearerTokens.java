package org.livingwell.gateway.security;

import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Spring Security's {@link DefaultBearerTokenResolver}, except that the usual request, a token in the Authorization
 * header and nowhere else, is read without its case-insensitive regular expression over the whole header: matching
 * each of a JWT's ~700 characters case-insensitively took 6 % of the CPU of a secured read (JFR,
 * bench/security-overhead.sh). The token's characters are checked by the same character class (RFC 6750's b64token),
 * case-sensitively, which it covers in both cases anyway. Anything else (no header, another scheme, a token that may
 * also be in the query or a form) goes to Spring's resolver, so its answers and refusals are unchanged.
 */
final class BearerTokens implements BearerTokenResolver {

    private static final String SCHEME = "Bearer ";
    private static final Pattern TOKEN = Pattern.compile("[a-zA-Z0-9-._~+/]+=*");

    private final BearerTokenResolver spring = new DefaultBearerTokenResolver();

    @Override
    public String resolve(HttpServletRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length()) && !mayCarryAnotherToken(request)
                && TOKEN.matcher(header).region(SCHEME.length(), header.length()).matches()) {
            return header.substring(SCHEME.length());
        }
        return spring.resolve(request);
    }

    /** Where Spring's resolver also looks for a token, to refuse a request that brings two. */
    private static boolean mayCarryAnotherToken(HttpServletRequest request) {
        String query = request.getQueryString();
        return (query != null && query.contains("access_token"))
                || ("POST".equals(request.getMethod()) && request.getContentType() != null
                        && request.getContentType().startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE));
    }
}
