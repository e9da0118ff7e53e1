package org.livingwell.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IClientInterceptor;
import ca.uhn.fhir.rest.client.api.IHttpRequest;
import ca.uhn.fhir.rest.client.api.IHttpResponse;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.livingwell.gateway.security.GatewayScopes;
import org.livingwell.routes.partner.PartnerTokenClient;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The whole gateway on H2, started once and shared by every test class that extends this (Spring
 * caches the context because the configuration is the same): a fresh data directory and free ports.
 * A subclass that registers other properties (PostgreSQL) gets a context of its own, so it must
 * register its own data directory and MLLP port too.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Inlined properties, not a @DynamicPropertySource: a subclass's dynamic properties must win over
        // these, and Spring applies a superclass's dynamic properties after the subclass's.
        properties = {"gateway.data-dir=${lw.test.data-dir}", "gateway.mllp.port=${lw.test.mllp-port}",
                "gateway.security.bootstrap-client-id=" + GatewayTestSupport.TEST_CLIENT_ID,
                "gateway.security.bootstrap-client-secret=" + GatewayTestSupport.TEST_CLIENT_SECRET,
                // A partner registered by configuration, as a deployment's partners file would (SecurityIT).
                "gateway.security.clients[0].id=configured-partner",
                "gateway.security.clients[0].organisation=G85001",
                "gateway.security.clients[0].scopes=system/Patient.rs,system/gp-register.write",
                "gateway.security.clients[0].secret-hash={bcrypt}$2a$10$WFwXej./I.7tWEuFNPGon.2dpPfO05RYDAGi/Nh56NoUFuakfZs22"})
public abstract class GatewayTestSupport {

    /** The bootstrap client, with every scope: the tests act as a partner allowed everything unless they say otherwise. */
    static final String TEST_CLIENT_ID = "lw-test-partner";
    static final String TEST_CLIENT_SECRET = "lw-test-partner-secret";
    private static final Map<Integer, PartnerTokenClient> TOKENS = new ConcurrentHashMap<>();

    static {
        System.setProperty("lw.test.data-dir", tempDir("lw-gateway-it").toString());
        System.setProperty("lw.test.mllp-port", String.valueOf(freePort()));
    }

    @LocalServerPort
    protected int httpPort;

    @Autowired
    protected FhirContext fhirContext;

    @Autowired
    protected GatewayProperties gateway;

    protected String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** The test partner's tokens for this gateway. */
    protected PartnerTokenClient partner() {
        return TOKENS.computeIfAbsent(httpPort, port -> new PartnerTokenClient(baseUrl(), TEST_CLIENT_ID, TEST_CLIENT_SECRET,
                String.join(" ", GatewayScopes.ALL)));
    }

    /** A request with the test partner's bearer token. */
    protected HttpRequest.Builder authorized(String pathAndQuery) {
        return partner().authorize(HttpRequest.newBuilder(URI.create(baseUrl() + pathAndQuery)));
    }

    protected IGenericClient fhirClient() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        IGenericClient client = fhirContext.newRestfulGenericClient(baseUrl() + "/fhir");
        PartnerTokenClient partner = partner();
        client.registerInterceptor(new IClientInterceptor() {
            @Override
            public void interceptRequest(IHttpRequest request) {
                request.addHeader("Authorization", "Bearer " + partner.token());
            }

            @Override
            public void interceptResponse(IHttpResponse response) {}
        });
        return client;
    }

    protected MllpClient mllpClient() throws IOException {
        return new MllpClient("127.0.0.1", gateway.mllp().port(), 15_000);
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
