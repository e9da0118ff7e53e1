package org.livingwell.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import ca.uhn.fhir.context.FhirContext;
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
        properties = {"gateway.data-dir=${lw.test.data-dir}", "gateway.mllp.port=${lw.test.mllp-port}"})
public abstract class GatewayTestSupport {

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

    protected IGenericClient fhirClient() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return fhirContext.newRestfulGenericClient(baseUrl() + "/fhir");
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
