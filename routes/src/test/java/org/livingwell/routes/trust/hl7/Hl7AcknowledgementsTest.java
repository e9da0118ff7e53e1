package org.livingwell.routes.trust.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.ErrorCode;
import org.junit.jupiter.api.Test;

class Hl7AcknowledgementsTest {

    private final Hl7Acknowledgements acknowledgements = new Hl7Acknowledgements(Hl7Fixtures.PARSER);

    private static String segment(String ack, String name) {
        for (String segment : ack.split("\r")) {
            if (segment.startsWith(name + "|")) {
                return segment;
            }
        }
        return null;
    }

    @Test
    void acceptAnswersAaEchoingTheControlId() {
        String ack = acknowledgements.accept(Hl7Fixtures.parse(Hl7Fixtures.adtA04("CTRL-1")));

        assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|CTRL-1");
        // The ACK goes back to the sender: sending and receiving sides swap.
        assertThat(segment(ack, "MSH")).startsWith("MSH|^~\\&|LWGATEWAY|LWNA|TRUSTEPR|RJ1|");
    }

    @Test
    void rejectAnswersArWithTheReasonInErr() {
        String ack = acknowledgements.reject(
                Hl7Fixtures.parse(Hl7Fixtures.adtA04("CTRL-2")), ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "no thanks");

        assertThat(segment(ack, "MSA")).startsWith("MSA|AR|CTRL-2");
        assertThat(segment(ack, "ERR")).contains("200").contains("no thanks");
    }

    @Test
    void unparsedMessageWithReadableMshIsAnsweredWithItsControlId() {
        String broken = "MSH|^~\\&|TRUSTEPR|RJ1|LWGATEWAY|LWNA|20240315||ADT^A04|CTRL-3|P|9.9\rPID|1";

        String ack = acknowledgements.rejectUnparsed(broken, ErrorCode.UNSUPPORTED_VERSION_ID, "version 9.9");

        assertThat(segment(ack, "MSA")).startsWith("MSA|AR|CTRL-3");
        assertThat(segment(ack, "ERR")).contains("version 9.9");
    }

    @Test
    void textWithoutMshStillGetsAnArWithErr() {
        String ack = acknowledgements.rejectUnparsed("hello, is this the lab?", ErrorCode.SEGMENT_SEQUENCE_ERROR, "no MSH");

        assertThat(segment(ack, "MSH")).isNotNull();
        assertThat(segment(ack, "MSA")).startsWith("MSA|AR");
        assertThat(segment(ack, "ERR")).contains("no MSH");
    }

    @Test
    void errorAnswersAe() {
        String ack = acknowledgements.error(Hl7Fixtures.parse(Hl7Fixtures.adtA04("CTRL-4")), "queue down");

        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|CTRL-4");
        assertThat(segment(ack, "ERR")).contains("queue down");
    }
}
