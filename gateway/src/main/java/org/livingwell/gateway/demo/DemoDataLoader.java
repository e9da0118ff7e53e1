package org.livingwell.gateway.demo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mllp.MllpConstants;
import org.livingwell.gateway.GatewayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Profile;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * With the {@code demo} profile, sends a small synthetic data set through the real ingest path (the
 * MLLP listener, the queue, the translators) once the gateway is up, as the trust's interface engine
 * would (camel-mllp's own client). Writes are idempotent, so starting again adds nothing twice.
 */
@Component
@Profile("demo")
public class DemoDataLoader {

    private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);
    private static final String TRUST_MESSAGES = "demo/trust-feed.hl7";

    private final GatewayProperties gateway;
    private final ProducerTemplate producer;

    public DemoDataLoader(GatewayProperties gateway, ProducerTemplate producer) {
        this.gateway = gateway;
        this.producer = producer;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void sendDemoMessages() throws IOException {
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
