package org.livingwell.gateway.messaging;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code gateway.broker-url} (env {@code GATEWAY_BROKER_URL}) the one setting that moves the
 * gateway from its embedded Artemis to an external broker or cluster: Boot's Artemis support would
 * otherwise need the mode and the URL set separately.
 */
public class ExternalBrokerSetting implements EnvironmentPostProcessor {

    static final String BROKER_URL = "gateway.broker-url";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String brokerUrl = environment.getProperty(BROKER_URL, "");
        if (brokerUrl.isBlank()) {
            return;
        }
        environment.getPropertySources().addFirst(new MapPropertySource("gateway-external-broker", Map.of(
                "spring.artemis.mode", "native",
                "spring.artemis.broker-url", brokerUrl,
                "spring.artemis.embedded.enabled", "false")));
    }
}
