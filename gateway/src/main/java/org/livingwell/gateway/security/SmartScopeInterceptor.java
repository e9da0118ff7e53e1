package org.livingwell.gateway.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * Holds each {@code /fhir} request to its token's SMART scopes (registered on the RestfulServer; Spring Security has
 * already refused requests without a valid token). The interaction must be allowed on its resource type:
 * read/vread/instance history need {@code r}, searches and type history {@code s}, create {@code c},
 * update/patch {@code u}, delete {@code d}; every entry of a transaction or batch is checked the same way;
 * system-wide searches and operations need the wildcard type. Operations that only read ({@code $everything},
 * {@code $validate}, ...) need {@code r}, others {@code u}. Whatever is then shown, search matches,
 * {@code _include}/{@code _revinclude}d resources and {@code $everything} alike, is filtered down to the types
 * the scopes let the client read or search.
 */
@Component
@Interceptor
public class SmartScopeInterceptor {

    private static final Set<String> READ_ONLY_OPERATIONS = Set.of("$everything", "$validate", "$meta", "$lastn",
            "$expand", "$lookup", "$validate-code", "$subsumes", "$translate", "$summary");

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean rememberPartner(HttpServletRequest request) {
        Partner.remember(request);
        return true;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkScopes(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA || operation == RestOperationTypeEnum.GET_PAGE) {
            return; // open; a page's resources are filtered as they are shown
        }
        SmartScopes scopes = scopes(request);
        String type = request.getResourceName();
        boolean allowed = switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE, META -> scopes.allows(type, 'r');
            case SEARCH_TYPE, HISTORY_TYPE -> scopes.allows(type, 's');
            case SEARCH_SYSTEM, HISTORY_SYSTEM -> scopes.allowsAllTypes('s');
            case CREATE -> scopes.allows(type, 'c');
            case UPDATE, PATCH, META_ADD, META_DELETE -> scopes.allows(type, 'u');
            case DELETE -> scopes.allows(type, 'd');
            case TRANSACTION, BATCH -> request.getResource() instanceof Bundle bundle && allowsEveryEntry(scopes, bundle);
            case EXTENDED_OPERATION_INSTANCE, EXTENDED_OPERATION_TYPE, VALIDATE ->
                    scopes.allows(type, operationNeeds(request.getOperation()));
            case EXTENDED_OPERATION_SERVER -> scopes.allowsAllTypes(operationNeeds(request.getOperation()));
            default -> false;
        };
        if (!allowed) {
            throw new ForbiddenOperationException("The access token's scopes do not allow " + operation.getCode()
                    + (type == null ? "" : " on " + type));
        }
    }

    private static char operationNeeds(String operation) {
        return operation == null || READ_ONLY_OPERATIONS.contains(operation) ? 'r' : 'u';
    }

    private static boolean allowsEveryEntry(SmartScopes scopes, Bundle bundle) {
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            String url = request.getUrl() == null ? "" : request.getUrl();
            String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
            String[] parts = path.replaceAll("^/+", "").split("/");
            String type = entry.getResource() != null ? entry.getResource().fhirType() : parts[0];
            char needed = switch (request.getMethod() == null ? Bundle.HTTPVerb.NULL : request.getMethod()) {
                case GET, HEAD -> path.contains("$") ? operationNeeds(parts[parts.length - 1]) : parts.length > 1 ? 'r' : 's';
                case POST -> path.contains("$") ? operationNeeds(parts[parts.length - 1]) : 'c';
                case PUT, PATCH -> 'u';
                case DELETE -> 'd';
                default -> 0;
            };
            if (needed == 0 || !scopes.allows(type, needed)) {
                return false;
            }
        }
        return true;
    }

    /** Before anything else sees what is shown (FhirAuditInterceptor records what is left). */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = 0)
    public void hideUnscopedTypes(IPreResourceShowDetails details, RequestDetails request) {
        if (!(request instanceof ServletRequestDetails)) {
            return; // the gateway's own work (feeds, audit), not a partner's request
        }
        SmartScopes scopes = scopes(request);
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource != null && !scopes.allowsShowing(resource.fhirType())) {
                details.setResource(i, null);
            }
        }
    }

    private static SmartScopes scopes(RequestDetails request) {
        return (request instanceof ServletRequestDetails servlet ? Partner.of(servlet.getServletRequest()) : Partner.current())
                .map(Partner::smartScopes).orElseGet(() -> SmartScopes.of(Set.of()));
    }
}
