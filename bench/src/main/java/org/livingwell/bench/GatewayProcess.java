package org.livingwell.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.livingwell.routes.partner.PartnerTokenClient;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/** A gateway process started from the packaged app, on free ports and a fresh data directory. */
record GatewayProcess(Process process, int httpPort, int mllpPort, Path dataDir, PartnerTokenClient partner) {

    /** The benchmark acts as one partner with every scope: the gateway's bootstrap client. */
    static final String CLIENT_ID = "bench-partner";
    private static final String ALL_SCOPES = "system/*.cruds system/AuditEvent.rs system/gp-register.write gateway/admin";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    /**
     * The packaged app: the path given, else the unpacked layout, else the fat jar; each also looked
     * for one directory up, since exec:java runs from the project root and Failsafe from bench/.
     */
    static Path locateJar(String given) {
        String[] candidates = given != null
                ? new String[] {given}
                : new String[] {"gateway/target/app/livingwell-gateway.jar", "gateway/target/livingwell-gateway.jar"};
        for (String candidate : candidates) {
            for (Path path : new Path[] {Path.of(candidate), Path.of("..").resolve(candidate)}) {
                if (Files.isRegularFile(path)) {
                    return path.toAbsolutePath().normalize();
                }
            }
        }
        throw new IllegalStateException("No gateway jar at " + String.join(" or ", candidates)
                + ": run mvn -B -DskipTests package first");
    }

    /** Starts the gateway as the README does, with a 768 MB heap, and returns once {@code /fhir/metadata} answers 200. */
    static GatewayProcess start(Path jar) throws IOException, InterruptedException {
        return start(jar, "768m");
    }

    /**
     * Starts the gateway with the given {@code -Xmx} (e.g. {@code 512m}) and returns once {@code /fhir/metadata}
     * answers 200.
     */
    static GatewayProcess start(Path jar, String maxHeap) throws IOException, InterruptedException {
        return start(jar, maxHeap, Files.createTempDirectory("lw-bench"), List.of());
    }

    /** On the given data directory (a record left by an earlier process is used again), with extra arguments. */
    static GatewayProcess start(Path jar, String maxHeap, Path dataDir, List<String> arguments)
            throws IOException, InterruptedException {
        int httpPort = freePort();
        int mllpPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + maxHeap, "-XX:+UseSerialGC"));
        // Extra JVM options for the gateway, e.g. BENCH_JVM_OPTS=-XX:StartFlightRecording=filename=/tmp/gw.jfr
        String extra = System.getenv().getOrDefault("BENCH_JVM_OPTS", "").strip();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        String secret = UUID.randomUUID().toString();
        command.addAll(List.of("-jar", jar.toString(),
                "--server.port=" + httpPort, "--gateway.mllp.port=" + mllpPort, "--gateway.data-dir=" + dataDir,
                "--gateway.security.bootstrap-client-id=" + CLIENT_ID, "--gateway.security.bootstrap-client-secret=" + secret));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("gateway.log").toFile())).start();
        GatewayProcess gateway = new GatewayProcess(process, httpPort, mllpPort, dataDir,
                new PartnerTokenClient("http://127.0.0.1:" + httpPort, CLIENT_ID, secret, ALL_SCOPES));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest metadata = HttpRequest.newBuilder(gateway.uri("/fhir/metadata")).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Gateway died; see " + dataDir.resolve("gateway.log"));
            }
            if (System.nanoTime() > deadline) {
                gateway.stop();
                throw new IllegalStateException("Gateway not ready in " + START_TIMEOUT + "; see " + dataDir.resolve("gateway.log"));
            }
            try {
                if (http.send(metadata, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return gateway;
                }
            } catch (IOException notListeningYet) {
                // the port opens part-way through start-up
            }
            Thread.sleep(250);
        }
    }

    /** An address on this gateway's HTTP port, e.g. {@code uri("/fhir")}. */
    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + httpPort + pathAndQuery);
    }

    /** A request to this gateway with the benchmark partner's bearer token. */
    HttpRequest.Builder request(String pathAndQuery) {
        return partner.authorize(HttpRequest.newBuilder(uri(pathAndQuery)));
    }

    int patientCount() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                request("/fhir/Patient?_summary=count").build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return Integer.parseInt(response.body().replaceAll("(?s).*\"total\"\\s*:\\s*(\\d+).*", "$1"));
    }

    /** The gateway's output (stdout and stderr), kept after {@link #stop()}. */
    Path log() {
        return dataDir.resolve("gateway.log");
    }

    /** Stops the process (SIGTERM, a clean shutdown) and keeps its data directory for the next one. */
    void stopKeepingData() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /**
     * Stops the process and deletes its database, broker journal, stored GP and council files and drop folders; the
     * log stays for reading.
     */
    void stop() throws IOException, InterruptedException {
        process.destroy();
        process.waitFor();
        for (String store : new String[] {"h2", "artemis", "gp", "council", "inbox"}) {
            Path dir = dataDir.resolve(store);
            if (Files.exists(dir)) {
                try (Stream<Path> paths = Files.walk(dir)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(path);
                    }
                }
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
