package org.livingwell.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * The partner system behind a request, as its access token says: client id, organisation (ODS code), scopes and
 * the GP practices it may send registers for besides its own.
 */
public record Partner(String clientId, String organisation, Set<String> scopes, Set<String> practices) {

    /** Access-token claims this gateway adds (see SecurityConfig). */
    static final String ORGANISATION_CLAIM = "organisation";
    static final String PRACTICES_CLAIM = "practices";

    /** Where {@link #remember} keeps the partner on the servlet request. */
    private static final String REQUEST_ATTRIBUTE = Partner.class.getName();

    /**
     * Keeps the partner on the servlet request, for work HAPI does for it on other threads (the entries of a batch
     * run on a pool, where Spring Security's thread-bound context is not set).
     */
    static void remember(HttpServletRequest request) {
        current().ifPresent(partner -> request.setAttribute(REQUEST_ATTRIBUTE, partner));
    }

    /** The partner of this servlet request: as remembered, else from the thread's security context. */
    public static Optional<Partner> of(HttpServletRequest request) {
        return request.getAttribute(REQUEST_ATTRIBUTE) instanceof Partner partner ? Optional.of(partner) : current();
    }

    /** The partner of the request being served on this thread, if it presented a valid token. */
    public static Optional<Partner> current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    public static Optional<Partner> of(Authentication authentication) {
        if (!(authentication instanceof JwtAuthenticationToken token)) {
            return Optional.empty();
        }
        List<String> practices = token.getToken().getClaimAsStringList(PRACTICES_CLAIM);
        return Optional.of(new Partner(token.getToken().getSubject(), token.getToken().getClaimAsString(ORGANISATION_CLAIM),
                scopes(token.getAuthorities()), practices == null ? Set.of() : Set.copyOf(practices)));
    }

    private static Set<String> scopes(Collection<GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority).filter(a -> a.startsWith("SCOPE_"))
                .map(a -> a.substring("SCOPE_".length())).collect(Collectors.toUnmodifiableSet());
    }

    public SmartScopes smartScopes() {
        return SmartScopes.of(scopes);
    }

    /** May send the SMI register of this practice: the ingest scope, and the practice is its own or granted. */
    public boolean maySendRegisterOf(String practiceOds) {
        return scopes.contains(GatewayScopes.GP_REGISTER_WRITE)
                && (practiceOds.equalsIgnoreCase(organisation) || practices.contains("*") || practices.contains(practiceOds));
    }
}
