package org.livingwell.gateway.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * SMART discovery, {@code GET /.well-known/smart-configuration}, also under the FHIR base
 * ({@code /fhir/.well-known/smart-configuration}, where SMART clients look first). A filter, not a controller,
 * because {@code /fhir/*} belongs to HAPI's servlet. URLs are built from the request, as the issuer is.
 */
@Component
public class SmartConfiguration extends OncePerRequestFilter {

    private static final List<String> PATHS = List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration");

    private final ObjectMapper json = new ObjectMapper();

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !PATHS.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException {
        String base = ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).toUriString();
        List<String> scopes = new ArrayList<>(GatewayScopes.ALL);
        scopes.addAll(List.of("system/*.rs", "system/*.read", "system/*.write", "system/Patient.rs", "system/<Type>.<cruds>"));
        Map<String, Object> configuration = new LinkedHashMap<>();
        configuration.put("issuer", base);
        configuration.put("jwks_uri", base + "/oauth2/jwks");
        configuration.put("token_endpoint", base + "/oauth2/token");
        configuration.put("grant_types_supported", List.of("client_credentials"));
        configuration.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt", "client_secret_basic"));
        configuration.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        configuration.put("scopes_supported", scopes);
        configuration.put("response_types_supported", List.of("token"));
        configuration.put("capabilities", List.of("client-confidential-asymmetric", "client-confidential-symmetric",
                "permission-v1", "permission-v2"));
        response.setContentType("application/json");
        json.writeValue(response.getOutputStream(), configuration);
    }
}
