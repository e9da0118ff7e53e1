package org.livingwell.routes.trust;

import org.livingwell.routes.trust.MllpClient;
import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.trust.hl7.Hl7Fixtures.segment;

import ca.uhn.fhir.context.FhirContext;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.livingwell.routes.errors.DeadLetterQueue;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;

/** The trust feed end to end: real MLLP socket, real Artemis broker, in-memory record store. */
class TrustHl7RouteTest {

    private static TrustHl7TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TrustHl7TestGateway.start();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    private static String a04(String controlId, String nhsNumber) {
        return Hl7Fixtures.adtA04(controlId, nhsNumber + "^^^NHS^NH~RJ1" + controlId + "^^^RJ1^MR");
    }

    private static String send(String message) throws Exception {
        try (MllpClient client = gateway.connect()) {
            return client.send(message);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(15)).until(condition::getAsBoolean);
    }

    private static TextMessage deadLetterFor(String controlId) throws Exception {
        return gateway.takeDeadLetter("Hl7ControlId = '" + controlId + "'", 15_000);
    }

    @Test
    void a04IsAcknowledgedThenAppliedAsAConditionalCreateWithProvenanceAndLogged() throws Exception {
        String ack = send(a04("RT-A04", "9990000026"));

        assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|RT-A04");
        await("the store has the patient", () -> gateway.store().appliedFor("9990000026").size() == 1);
        Bundle bundle = gateway.store().appliedFor("9990000026").get(0);
        assertThat(bundle.getEntry()).extracting(entry -> entry.getResource().fhirType()).containsExactly("Patient", "Provenance");
        assertThat(bundle.getEntryFirstRep().getRequest().getMethod()).isEqualTo(HTTPVerb.POST);
        assertThat(bundle.getEntryFirstRep().getRequest().getIfNoneExist())
                .isEqualTo("identifier=https://fhir.nhs.uk/Id/nhs-number|9990000026");
        assertThat(bundle.getEntryFirstRep().getResource().getMeta().getSource()).isEqualTo("urn:livingwell:feed:trust-hl7:message:RT-A04");
        await("the inbound queue is drained", () -> depth(TrustHl7TestGateway.INBOUND_QUEUE) == 0);
        await("logged as applied", () -> gateway.messageLog().byMessageId("RT-A04")
                .filter(entry -> entry.status() == MessageLog.Status.APPLIED).isPresent());
        assertThat(gateway.messageLog().byMessageId("RT-A04").orElseThrow().resources())
                .anySatisfy(written -> assertThat(written).startsWith("Patient/"));
    }

    @Test
    void theSameMessageSentTwiceIsAcknowledgedTwiceAndAppliedOnce() throws Exception {
        String message = a04("RT-TWICE", "9990000034");

        assertThat(segment(send(message), "MSA")).isEqualTo("MSA|AA|RT-TWICE");
        assertThat(segment(send(message), "MSA")).isEqualTo("MSA|AA|RT-TWICE");

        await("the resend is seen as a duplicate", () -> gateway.messageLog().byMessageId("RT-TWICE")
                .filter(entry -> entry.duplicates() == 1).isPresent());
        assertThat(gateway.store().appliedFor("9990000034")).hasSize(1);
        assertThat(gateway.store().patients("9990000034")).hasSize(1);
    }

    @Test
    void theSamePatientUnderANewControlIdWritesNoNewVersionWhenNothingChanged() throws Exception {
        send(Hl7Fixtures.adtA04("RT-SAME-1", "9990000131^^^NHS^NH~RJ1999^^^RJ1^MR"));
        send(Hl7Fixtures.adtA04("RT-SAME-2", "9990000131^^^NHS^NH~RJ1999^^^RJ1^MR"));

        await("both logged as applied", () -> gateway.messageLog().byMessageId("RT-SAME-2")
                .filter(entry -> entry.status() == MessageLog.Status.APPLIED).isPresent());
        assertThat(gateway.store().appliedFor("9990000131")).hasSize(1);
        assertThat(gateway.messageLog().byMessageId("RT-SAME-2").orElseThrow().resources()).isEmpty();
    }

    @Test
    void withoutAControlIdOrWithAnotherProcessingIdTheMessageIsRejected() throws Exception {
        String noControlId = a04("", "9990000158");
        String training = a04("RT-TRAINING", "9990000158").replace("|RT-TRAINING|P|", "|RT-TRAINING|T|");

        assertThat(segment(send(noControlId), "MSA")).startsWith("MSA|AR");
        assertThat(segment(send(noControlId), "ERR")).contains("MSH-10");
        assertThat(segment(send(training), "MSA")).startsWith("MSA|AR|RT-TRAINING");
        assertThat(segment(send(training), "ERR")).contains("MSH-11");
        await("logged as rejected", () -> gateway.messageLog().byMessageId("RT-TRAINING")
                .filter(entry -> entry.status() == MessageLog.Status.REJECTED).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "this is not an HL7 message",
        "PID|1||9990000018^^^NHS^NH||TEST^PERSON",
        "MSH|^~\\&",
        "{\"resourceType\":\"Patient\"}",
    })
    void nonHl7TextIsRejectedWithArAndErrAndTheListenerCarriesOn(String garbage) throws Exception {
        try (MllpClient client = gateway.connect()) {
            String nack = client.send(garbage);

            assertThat(segment(nack, "MSA")).startsWith("MSA|AR");
            assertThat(segment(nack, "ERR")).contains("not a parseable HL7 v2 message");

            // Same connection, next message: the listener is still there and still accepting.
            assertThat(segment(client.send(a04("RT-AFTER-GARBAGE", "9990000069")), "MSA"))
                    .isEqualTo("MSA|AA|RT-AFTER-GARBAGE");
        }
        TextMessage deadLetter = gateway.takeDeadLetter(
                DeadLetterQueue.REASON_HEADER + " LIKE 'not a parseable HL7 v2 message%'", 15_000);
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getText()).isEqualTo(garbage);
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.SOURCE_HEADER)).isEqualTo("trust-hl7");
    }

    @Test
    void binaryGarbageGetsAnArAndTheListenerCarriesOn() throws Exception {
        try (MllpClient client = gateway.connect()) {
            String nack = client.sendRaw(new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x01, 0x02, 0x03, (byte) 0x80});

            assertThat(segment(nack, "MSA")).startsWith("MSA|AR");
        }
        assertThat(segment(send(a04("RT-AFTER-BINARY", "9990000077")), "MSA")).isEqualTo("MSA|AA|RT-AFTER-BINARY");
    }

    @Test
    void framesTooShortToAnswerCloseTheConnectionAndTheListenerCarriesOn() throws Exception {
        for (byte[] payload : new byte[][] {{}, {'M', 'S', 'H'}}) {
            try (MllpClient client = gateway.connect()) {
                assertThat(client.sendRaw(payload)).as("answer to %d bytes", payload.length).isNull();
            }
        }
        assertThat(segment(send(a04("RT-AFTER-SHORT", "9990000115")), "MSA")).isEqualTo("MSA|AA|RT-AFTER-SHORT");
    }

    @Test
    void unsupportedMessageTypeIsRejectedAndDeadLettered() throws Exception {
        String oru = String.join("\r",
                Hl7Fixtures.msh("ORU^R01^ORU_R01", "RT-ORU", "2.5.1"),
                "PID|1||9990000018^^^NHS^NH||TEST^PERSON",
                "OBR|1|||1234-5^TEST",
                "OBX|1|NM|1234-5^TEST||42");

        String nack = send(oru);

        assertThat(segment(nack, "MSA")).startsWith("MSA|AR|RT-ORU");
        // ^ is HL7's component separator, so inside ERR it travels escaped as \S\.
        assertThat(segment(nack, "ERR")).contains("ORU\\S\\R01 is not supported");
        TextMessage deadLetter = deadLetterFor("RT-ORU");
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.REASON_HEADER))
                .isEqualTo("MSH-9: message type ORU^R01 is not supported on this feed");
        assertThat(deadLetter.getText()).isEqualTo(oru);
    }

    @Test
    void invalidNhsNumberIsAnsweredAeWithErrAndKeptWithTheReason() throws Exception {
        String ack = send(a04("RT-BAD-NHS", "9990000019"));

        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|RT-BAD-NHS");
        assertThat(segment(ack, "ERR")).contains("modulus-11");
        TextMessage deadLetter = deadLetterFor("RT-BAD-NHS");
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.REASON_HEADER)).isEqualTo(
                "translation to FHIR failed: PID-3: NHS number 9990000019 fails the modulus-11 check");
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.SOURCE_HEADER)).isEqualTo("trust-hl7");
        assertThat(Instant.parse(deadLetter.getStringProperty(DeadLetterQueue.TIME_HEADER)))
                .isBetween(Instant.now().minusSeconds(60), Instant.now());
        assertThat(deadLetter.getText()).isEqualTo(a04("RT-BAD-NHS", "9990000019"));
        assertThat(gateway.store().attempts("9990000019")).isZero();
        await("logged as rejected", () -> gateway.messageLog().byMessageId("RT-BAD-NHS")
                .filter(entry -> entry.status() == MessageLog.Status.REJECTED).isPresent());
    }

    @Test
    void a04WithoutBirthDateIsAcceptedAsHl7ThenDeadLetteredWithTheOperationOutcome() throws Exception {
        String noBirthDate = a04("RT-NO-DOB", "9990001308").replace("||19850304|F|", "|||F|");

        // Valid HL7 (PID-7 is optional there), so AA; our profile needs a birth date, so it goes to a person.
        assertThat(segment(send(noBirthDate), "MSA")).isEqualTo("MSA|AA|RT-NO-DOB");

        TextMessage deadLetter = deadLetterFor("RT-NO-DOB");
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getText()).isEqualTo(noBirthDate);
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.REASON_HEADER)).startsWith(
                "the shared record rejected it: does not conform to the Living Well profiles (1 error): "
                        + "Bundle.entry[0].resource/*Patient*/: Patient.birthDate: minimum required = 1");
        OperationOutcome outcome = FhirContext.forR4Cached().newJsonParser().parseResource(OperationOutcome.class,
                deadLetter.getStringProperty(DeadLetterQueue.OPERATION_OUTCOME_HEADER));
        assertThat(outcome.getIssue()).singleElement().satisfies(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
            assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Bundle.entry[0].resource/*Patient*/");
            assertThat(issue.getDiagnostics()).startsWith("entry 0 (Patient): Patient.birthDate: minimum required = 1");
        });
        // Never half-written.
        assertThat(gateway.store().appliedFor("9990001308")).isEmpty();
        await("logged as dead-lettered", () -> gateway.messageLog().byMessageId("RT-NO-DOB")
                .filter(entry -> entry.status() == MessageLog.Status.DEAD_LETTERED).isPresent());
        // And the queue moves on.
        assertThat(segment(send(a04("RT-AFTER-NO-DOB", "9990001316")), "MSA")).isEqualTo("MSA|AA|RT-AFTER-NO-DOB");
        await("the next message is applied", () -> !gateway.store().appliedFor("9990001316").isEmpty());
    }

    @Test
    void storeFailingTwiceIsRetriedAndTheMessageAppliedOnTheThirdAttempt() throws Exception {
        gateway.store().failTransiently("9990000042", 2);

        assertThat(segment(send(a04("RT-RETRY", "9990000042")), "MSA")).isEqualTo("MSA|AA|RT-RETRY");

        await("the third attempt succeeds", () -> gateway.store().appliedFor("9990000042").size() == 1);
        assertThat(gateway.store().attempts("9990000042")).isEqualTo(3);
    }

    @Test
    void aPatientWhoseMessageKeepsFailingDoesNotHoldUpAnotherPatient() throws Exception {
        gateway.store().failTransiently("9990000085", 1_000_000);

        send(a04("RT-STUCK", "9990000085"));
        await("the stuck patient has been tried", () -> gateway.store().attempts("9990000085") >= 2);
        send(a04("RT-OTHER", "9990000093"));

        await("the other patient is applied", () -> gateway.store().appliedFor("9990000093").size() == 1);
        assertThat(gateway.store().appliedFor("9990000085")).isEmpty();
        gateway.store().failTransiently("9990000085", 0);
        await("the stuck patient is applied once the store takes it",
                () -> gateway.store().appliedFor("9990000085").size() == 1);
    }

    @Test
    void sixtyFourSendersConnectedAtOnceAreAllAnswered() throws Exception {
        List<MllpClient> senders = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 64; i++) {
                senders.add(gateway.connect()); // all open before any sends
            }
            for (int i = 0; i < senders.size(); i++) {
                assertThat(segment(senders.get(i).send(a04("RT-CONN-" + i, "9990000212")), "MSA"))
                        .as("sender %d", i).isEqualTo("MSA|AA|RT-CONN-" + i);
            }
        } finally {
            for (MllpClient sender : senders) {
                sender.close();
            }
        }
    }

    @Test
    void onePatientsMessagesAreAppliedInArrivalOrderWhileOthersRunInParallel() throws Exception {
        String[] families = {"FIRST", "SECOND", "THIRD", "FOURTH", "FIFTH", "SIXTH", "SEVENTH", "EIGHTH"};
        List<String> others = List.of("9990000166", "9990000174", "9990000182", "9990000190");
        try (MllpClient client = gateway.connect()) {
            for (int i = 0; i < families.length; i++) {
                client.send(a04("RT-ORDER-" + i, "9990000204").replace("TESTPATIENT", families[i]));
                client.send(a04("RT-OTHERS-" + i, others.get(i % others.size())).replace("TESTPATIENT", families[i]));
            }
        }
        await("all applied", () -> gateway.messageLog().byMessageId("RT-ORDER-7")
                .filter(entry -> entry.status() == MessageLog.Status.APPLIED).isPresent());
        List<String> namesInOrder = gateway.store().appliedFor("9990000204").stream()
                .map(bundle -> ((Patient) bundle.getEntryFirstRep().getResource()).getNameFirstRep().getFamily())
                .toList();
        assertThat(namesInOrder).containsExactly(families);
    }

    @Test
    void recordRejectedByTheStoreIsDeadLetteredNotRetried() throws Exception {
        gateway.store().reject("9990000050");

        assertThat(segment(send(a04("RT-REJECTED", "9990000050")), "MSA")).isEqualTo("MSA|AA|RT-REJECTED");
        await("logged as dead-lettered", () -> gateway.messageLog().byMessageId("RT-REJECTED")
                .filter(entry -> entry.status() == MessageLog.Status.DEAD_LETTERED).isPresent());

        TextMessage deadLetter = deadLetterFor("RT-REJECTED");
        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.REASON_HEADER))
                .isEqualTo("the shared record rejected it: HTTP 422: Patient failed profile validation");
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.OPERATION_OUTCOME_HEADER)).isNull();
        assertThat(gateway.store().attempts("9990000050")).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not HL7 at all"})
    void poisonMessagesOnTheInboundQueueAreDeadLetteredNotRetried(String poison) throws Exception {
        String controlId = "RT-POISON-" + poison.length();
        gateway.putOnInboundQueue(poison, controlId);

        TextMessage deadLetter = deadLetterFor(controlId);

        assertThat(deadLetter).isNotNull();
        assertThat(deadLetter.getStringProperty(DeadLetterQueue.REASON_HEADER))
                .startsWith("translation to FHIR failed: message: ");
        // The queue keeps moving behind it.
        assertThat(segment(send(a04("RT-AFTER-POISON-" + poison.length(), "9990000123")), "MSA")).startsWith("MSA|AA");
        await("the next message is applied", () -> !gateway.store().appliedFor("9990000123").isEmpty());
    }

    @Test
    void accentedNamesSurviveTheTripThroughTheQueue() throws Exception {
        // Sent as Latin-1, camel-mllp's charset for senders that declare none in MSH-18.
        String withAccent = a04("RT-ACCENT", "9990000107").replace("ALEX", "ZOË");

        assertThat(segment(send(withAccent), "MSA")).isEqualTo("MSA|AA|RT-ACCENT");

        await("applied", () -> gateway.store().appliedFor("9990000107").size() == 1);
        Patient patient = (Patient) gateway.store().appliedFor("9990000107").get(0).getEntryFirstRep().getResource();
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).startsWith("ZOË");
    }

    private static int depth(String queue) {
        try {
            return gateway.depth(queue);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
