package org.livingwell.routes.trust;

import org.livingwell.routes.trust.MllpClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.trust.hl7.Hl7Fixtures.segment;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;

/** With the broker unreachable nothing is safe, so the sender must never hear AA. */
class TrustHl7BrokerDownTest {

    private static TrustHl7TestGateway gateway;

    @BeforeAll
    static void startGatewayWithoutBroker() throws Exception {
        gateway = TrustHl7TestGateway.startWithBrokerDown();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    @Test
    void senderGetsAeSoItResendsAndTheListenerKeepsAnswering() throws Exception {
        try (MllpClient client = gateway.connect()) {
            String first = client.send(Hl7Fixtures.adtA04("BD-1"));
            String second = client.send(Hl7Fixtures.adtA04("BD-2"));

            assertThat(segment(first, "MSA")).startsWith("MSA|AE|BD-1");
            assertThat(segment(first, "ERR")).contains("please resend");
            assertThat(segment(second, "MSA")).startsWith("MSA|AE|BD-2");
        }
    }

    @Test
    void unparseableTextIsAnsweredAeTooWhenItCannotBeDeadLettered() throws Exception {
        try (MllpClient client = gateway.connect()) {
            assertThat(segment(client.send("not HL7 at all"), "MSA")).startsWith("MSA|AE");
        }
    }
}
