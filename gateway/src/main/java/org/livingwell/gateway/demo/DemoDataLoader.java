package org.livingwell.gateway.demo;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mllp.MllpConstants;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.gateway.GatewayProperties.Client;
import org.livingwell.gateway.security.GatewayScopes;
import org.livingwell.gateway.security.PartnerClients;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ClassPathResource;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * With the {@code demo} profile, sends a small synthetic data set through the real ingest paths once the gateway
 * is up: trust HL7 messages to the MLLP listener, as the trust's interface engine would (camel-mllp's own client),
 * then two practices' SMI registers to the upload endpoint over HTTP, as a practice would (one row of G85001 is
 * deliberately wrong, to show a row error), then a council's quarterly CLD file into the council inbox, as a council
 * would drop it (its last row has an impossible date). Writes are idempotent, so starting again adds nothing twice.
 */
@Component
@Profile("demo")
public class DemoDataLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);
    private static final String TRUST_MESSAGES = "demo/trust-feed.hl7";
    private static final List<String> GP_PRACTICES = List.of("G85001", "G85002");
    private static final String DEMO_CLD_FILE = "demo/council/cld-demo.csv";

    /** The demo partner, written in README: a demo's secret is no secret. It has every scope. */
    static final String DEMO_CLIENT_ID = "demo-partner";
    static final String DEMO_CLIENT_SECRET = "demo-partner-secret";

    private final GatewayProperties gateway;
    private final ProducerTemplate producer;
    private final Environment environment;
    private final PartnerClients clients;
    private final PasswordEncoder passwords;

    public DemoDataLoader(GatewayProperties gateway, ProducerTemplate producer, Environment environment,
            PartnerClients clients, PasswordEncoder passwords) {
        this.gateway = gateway;
        this.producer = producer;
        this.environment = environment;
        this.clients = clients;
        this.passwords = passwords;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void sendDemoData() throws IOException, InterruptedException {
        clients.register(new Client(DEMO_CLIENT_ID, "LWDEMO", GatewayScopes.ALL, List.of("*"),
                passwords.encode(DEMO_CLIENT_SECRET), null, null));
        String base = "http://127.0.0.1:" + environment.getRequiredProperty("local.server.port");
        log.info("Demo client registered: id '{}', secret '{}'. A token: curl -s -u {}:{} -d grant_type=client_credentials"
                + " -d scope=system/*.rs {}/oauth2/token", DEMO_CLIENT_ID, DEMO_CLIENT_SECRET, DEMO_CLIENT_ID,
                DEMO_CLIENT_SECRET, base);
        sendDemoMessages();
        uploadDemoRegisters(base);
        dropDemoCldFile();
    }

    /** Written beside the inbox and then moved in, so the drop folder never sees half a file. */
    private void dropDemoCldFile() throws IOException {
        Path inbox = Files.createDirectories(gateway.dataDir().resolve("inbox").resolve("council"));
        Path partial = inbox.resolveSibling("cld-demo.csv.part");
        try (InputStream in = new ClassPathResource(DEMO_CLD_FILE).getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, inbox.resolve("cld-demo.csv"), StandardCopyOption.REPLACE_EXISTING);
        log.info("Demo data: a synthetic council CLD file dropped in {}; its report appears in .done/ beside it", inbox);
    }

    private void uploadDemoRegisters(String base) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        String token = demoToken(http, base);
        for (String practice : GP_PRACTICES) {
            byte[] register;
            try (InputStream in = new ClassPathResource("demo/gp/" + practice + ".csv").getInputStream()) {
                register = in.readAllBytes();
            }
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/ingest/gp/" + practice + "/smi-register?mode=full"))
                    .header("Content-Type", "text/csv").header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.ofByteArray(register)).build(),
                    HttpResponse.BodyHandlers.ofString());
            // The answer's row errors quote patient data: only where to read them is logged.
            log.info("Demo data: SMI register of practice {} uploaded, HTTP {}, batch at {}", practice, answer.statusCode(),
                    answer.headers().firstValue("Location").orElse("(none)"));
        }
    }

    /** As a practice's system would: client credentials, client_secret_basic. */
    private static String demoToken(HttpClient http, String base) throws IOException, InterruptedException {
        String credentials = Base64.getEncoder().encodeToString(
                (DEMO_CLIENT_ID + ":" + DEMO_CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + credentials)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + GatewayScopes.GP_REGISTER_WRITE))
                .build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(answer.body()).path("access_token").asText();
    }

    private void sendDemoMessages() throws IOException {
        List<String> messages = readMessages(TRUST_MESSAGES);
        String listener = "mllp:127.0.0.1:" + gateway.mllp().port() + "?receiveTimeout=10000&hl7Headers=false";
        int accepted = 0;
        for (String message : messages) {
            try {
                Object code = producer.request(listener, exchange -> exchange.getMessage().setBody(message))
                        .getMessage().getHeader(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE);
                if ("AA".equals(code)) {
                    accepted++;
                } else {
                    log.warn("Demo message not accepted: {}", code);
                }
            } catch (RuntimeException notAccepted) {
                log.warn("Demo message not accepted: {}", notAccepted.getMessage());
            }
        }
        log.info("Demo data: {} of {} synthetic trust HL7 messages accepted over MLLP port {}",
                accepted, messages.size(), gateway.mllp().port());
    }

    /** Messages are blocks separated by blank lines; lines starting with '#' are comments. */
    static List<String> readMessages(String classpathResource) throws IOException {
        try (InputStream in = new ClassPathResource(classpathResource).getInputStream()) {
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            return Arrays.stream(text.split("\\R\\s*\\R"))
                    .map(block -> block.lines().filter(line -> !line.startsWith("#"))
                            .reduce((a, b) -> a + "\r" + b).orElse(""))
                    .filter(message -> message.startsWith("MSH"))
                    .toList();
        }
    }
}
