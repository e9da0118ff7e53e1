package org.livingwell.routes.trust.hl7;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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

    @ParameterizedTest
    @CsvSource({
        "PID-3, REQUIRED_FIELD_MISSING, PID^1^3, 101",
        "PV1-19, REQUIRED_FIELD_MISSING, PV1^1^19, 101",
        "PID-7, DATA_TYPE_ERROR, PID^1^7, 102",
        "MRG, SEGMENT_SEQUENCE_ERROR, MRG^1, 100",
    })
    void contentErrorAnswersAeWithFieldCodeAndProblemInErr(String field, ErrorCode code, String location, String hl7Code)
            throws Exception {
        Hl7TranslationException problem = new Hl7TranslationException(field, code, "what is wrong");

        String ack = acknowledgements.contentError(Hl7Fixtures.parse(Hl7Fixtures.adtA04("CTRL-5")), problem);

        Terser terser = new Terser(Hl7Fixtures.parse(ack));
        assertThat(terser.get("/MSA-1")).isEqualTo("AE");
        assertThat(terser.get("/MSA-2")).isEqualTo("CTRL-5");
        assertThat(segment(ack, "ERR").split("\\|")[2]).isEqualTo(location);
        assertThat(terser.get("/ERR-3-1")).isEqualTo(hl7Code);
        assertThat(terser.get("/ERR-3-3")).isEqualTo("HL70357");
        assertThat(terser.get("/ERR-8")).isEqualTo("what is wrong");
    }
}
