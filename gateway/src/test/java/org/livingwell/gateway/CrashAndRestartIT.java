package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import org.livingwell.routes.partner.PartnerTokenClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.livingwell.routes.trust.MllpClient;

/**
 * The promises that need a real process: a message ACKed to the trust survives the gateway being
 * killed (SIGKILL) before it reached the record, and what the record has committed survives a kill
 * right after the commit and a normal stop. Runs the packaged jar, as an operator would.
 */
class CrashAndRestartIT {

    private static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    private static final Path JAR = Path.of(System.getProperty("gateway.jar", "target/livingwell-gateway.jar"));

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void ackedMessageSurvivesAKillAndTheRecordSurvivesARestart(@TempDir Path dataDir) throws Exception {
        String queuedNhs = TestNhsNumbers.next();
        String restNhs = TestNhsNumbers.next();

        // 1. The store is unreachable, so the ACKed message can only be on the broker's journal; then SIGKILL.
        Gateway first = Gateway.start(dataDir, "first", "--gateway.store.remote-url=http://127.0.0.1:9/fhir");
        try (MllpClient trust = new MllpClient("127.0.0.1", first.mllpPort, 15_000)) {
            String ack = trust.send(SharedRecordContract.adtA04("CRASH-1", queuedNhs, "Queued"));
            assertThat(ack).contains("MSA|AA|CRASH-1");
        }
        first.process.destroyForcibly().waitFor();

        // 2. Started again with the real store: the queued message reaches the record. A partner's write is
        //    answered 201, and the process is killed at once: what was committed must not be lost with it.
        Gateway second = Gateway.start(dataDir, "second");
        await().atMost(Duration.ofSeconds(60)).until(() -> countPatients(second, queuedNhs) == 1);
        HttpResponse<String> created = http.send(second.partner().authorize(HttpRequest.newBuilder(URI.create(second.fhirBase() + "/Patient")))
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Patient\",\"identifier\":[{\"system\":\""
                        + NHS + "\",\"value\":\"" + restNhs + "\"}],\"name\":[{\"family\":\"Restful\"}],\"birthDate\":\"1970-05-06\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
        second.process.destroyForcibly().waitFor();

        // 3. Third start on the same data directory: both Patients are still there, once each. Then a normal stop.
        Gateway third = Gateway.start(dataDir, "third");
        try {
            assertThat(countPatients(third, queuedNhs)).isEqualTo(1);
            assertThat(countPatients(third, restNhs)).isEqualTo(1);
        } finally {
            third.process.destroy();
            assertThat(third.process.waitFor()).as("exit code after SIGTERM").isIn(0, 143);
        }
    }

    private int countPatients(Gateway gateway, String nhsNumber) throws IOException, InterruptedException {
        HttpResponse<String> found = http.send(gateway.partner().authorize(HttpRequest.newBuilder(URI.create(
                gateway.fhirBase() + "/Patient?_summary=count&identifier=" + NHS + "%7C" + nhsNumber))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(found.statusCode()).isEqualTo(200);
        return Integer.parseInt(found.body().replaceAll("(?s).*\"total\"\\s*:\\s*(\\d+).*", "$1"));
    }

    /** One gateway process on free ports; its output goes to target/crash-restart-*.log. */
    private record Gateway(Process process, int httpPort, int mllpPort, PartnerTokenClient partner) {

        static Gateway start(Path dataDir, String name, String... extraArgs) throws Exception {
            int httpPort = GatewayTestSupport.freePort();
            int mllpPort = GatewayTestSupport.freePort();
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-jar", JAR.toString(),
                    "--server.port=" + httpPort, "--gateway.mllp.port=" + mllpPort,
                    "--gateway.data-dir=" + dataDir,
                    "--gateway.security.bootstrap-client-id=" + GatewayTestSupport.TEST_CLIENT_ID,
                    "--gateway.security.bootstrap-client-secret=" + GatewayTestSupport.TEST_CLIENT_SECRET));
            command.addAll(List.of(extraArgs));
            Path log = Files.createDirectories(Path.of("target")).resolve("crash-restart-" + name + ".log");
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Gateway gateway = new Gateway(process, httpPort, mllpPort, new PartnerTokenClient("http://127.0.0.1:" + httpPort,
                    GatewayTestSupport.TEST_CLIENT_ID, GatewayTestSupport.TEST_CLIENT_SECRET, "system/*.cruds"));
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                assertThat(process.isAlive()).as("gateway '%s' is running (see %s)", name, log).isTrue();
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(gateway.fhirBase() + "/metadata")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                } catch (IOException notYetListening) {
                    return false;
                }
            });
            return gateway;
        }

        String fhirBase() {
            return "http://127.0.0.1:" + httpPort + "/fhir";
        }
    }
}
