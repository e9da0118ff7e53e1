package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.trust.hl7.Hl7Fixtures.segment;

import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.log.MessageLog;

/**
 * Referrals on the trust feed end to end: the same MLLP listener, ACK policy, queue and message log as ADT, with the
 * in-memory record behind profile validation.
 */
class TrustReferralRouteTest {

    private static TrustHl7TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        gateway = TrustHl7TestGateway.start();
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
    }

    /** A REF for one patient and referral, with the control ID given; {@code rf1} from RF1-1 on. */
    private static String ref(String trigger, String controlId, String nhsNumber, String referralId, String rf1, String... more) {
        String message = String.join("\r",
                RefMessages.msh(trigger, "2.5.1", controlId),
                "RF1|" + rf1.replace("{id}", referralId),
                RefMessages.REFERRER,
                RefMessages.SPA,
                "PID|1||" + nhsNumber + "^^^NHS^NH||TESTPATIENT^ALEX||19850304|F",
                "PV1|1|O");
        return more.length == 0 ? message : message + "\r" + String.join("\r", more);
    }

    private static String send(String message) throws Exception {
        try (MllpClient client = gateway.connect()) {
            return client.send(message);
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(15)).until(condition::getAsBoolean);
    }

    private static MessageLog.Entry applied(String controlId) {
        await(controlId + " applied", () -> gateway.messageLog().byMessageId(controlId)
                .filter(entry -> entry.status() == MessageLog.Status.APPLIED).isPresent());
        return gateway.messageLog().byMessageId(controlId).orElseThrow();
    }

    private static List<ServiceRequest> referrals(String referralId) {
        return gateway.store().stored(ServiceRequest.class).stream()
                .filter(request -> request.getIdentifierFirstRep().getValue().equals(referralId)).toList();
    }

    @Test
    void aReferralIsAcknowledgedAppliedAndItsUnmappedSegmentsLogged() throws Exception {
        String ack = send(ref("I12", "RR-I12", "9990050007", "RR-1", "P|U||||{id}", "NTE|1||From the GP", "ZRF|1|LOCAL"));

        assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|RR-I12");
        MessageLog.Entry entry = applied("RR-I12");
        assertThat(entry.messageType()).isEqualTo("REF^I12");
        assertThat(entry.resources()).anySatisfy(written -> assertThat(written).startsWith("ServiceRequest/"));
        assertThat(entry.notes()).containsExactly("unmapped segments (ignored): ZRF");
        assertThat(referrals("RR-1")).singleElement().satisfies(request -> {
            assertThat(request.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
            assertThat(request.getNoteFirstRep().getText()).isEqualTo("From the GP");
        });
    }

    @Test
    void aModificationBeforeItsReferralCreatesItSaysSoAndTheNewReferralThenUpdatesTheSameOne() throws Exception {
        assertThat(segment(send(ref("I13", "RR-EARLY-I13", "9990050015", "RR-2", "A|S||||{id}")), "MSA"))
                .isEqualTo("MSA|AA|RR-EARLY-I13");
        assertThat(applied("RR-EARLY-I13").notes()).singleElement()
                .satisfies(note -> assertThat(note).startsWith("REF^I13 for a referral not in the record: created"));
        assertThat(gateway.store().stored(EpisodeOfCare.class)).anySatisfy(episode ->
                assertThat(episode.getIdentifierFirstRep().getValue()).isEqualTo("RR-2"));

        assertThat(segment(send(ref("I12", "RR-LATE-I12", "9990050015", "RR-2", "P|R||||{id}", "NTE|1||First note")), "MSA"))
                .isEqualTo("MSA|AA|RR-LATE-I12");
        assertThat(applied("RR-LATE-I12").notes()).isEmpty();
        assertThat(referrals("RR-2")).singleElement().satisfies(request -> {
            assertThat(request.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
            assertThat(request.getNoteFirstRep().getText()).isEqualTo("First note");
        });
    }

    @Test
    void theSameReferralMessageTwiceIsAppliedOnce() throws Exception {
        String message = ref("I12", "RR-TWICE", "9990050023", "RR-3", "A|U||||{id}");

        assertThat(segment(send(message), "MSA")).isEqualTo("MSA|AA|RR-TWICE");
        assertThat(segment(send(message), "MSA")).isEqualTo("MSA|AA|RR-TWICE");

        await("the resend is seen as a duplicate", () -> gateway.messageLog().byMessageId("RR-TWICE")
                .filter(entry -> entry.duplicates() == 1).isPresent());
        assertThat(gateway.store().appliedFor("9990050023")).hasSize(1);
        assertThat(referrals("RR-3")).hasSize(1);
    }

    @Test
    void anUnknownPriorityIsTakenStoredWithoutItAndNoted() throws Exception {
        assertThat(segment(send(ref("I12", "RR-ODD-PRIORITY", "9990050031", "RR-4", "P|Q^Quickly||||{id}")), "MSA"))
                .isEqualTo("MSA|AA|RR-ODD-PRIORITY");

        assertThat(applied("RR-ODD-PRIORITY").notes()).containsExactly("RF1-2: priority 'Q' is not in table 0280; left out");
        assertThat(referrals("RR-4")).singleElement().satisfies(request -> assertThat(request.hasPriority()).isFalse());
    }

    @Test
    void withoutAReferralIdentifierTheAnswerIsAeNamingRf16() throws Exception {
        String ack = send(ref("I12", "RR-NO-ID", "9990050058", "", "P|U||||{id}"));

        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|RR-NO-ID");
        assertThat(segment(ack, "ERR")).contains("|RF1^1^6|").contains("|101^");
        String noRf1 = String.join("\r", RefMessages.msh("I12", "2.5.1", "RR-NO-RF1"), RefMessages.SPA,
                "PID|1||9990050058^^^NHS^NH||TESTPATIENT^ALEX||19850304|F");
        assertThat(segment(send(noRf1), "ERR")).contains("|RF1^1^6|");
        await("logged as rejected", () -> gateway.messageLog().byMessageId("RR-NO-ID")
                .filter(entry -> entry.status() == MessageLog.Status.REJECTED).isPresent());
    }

    @Test
    void withoutAProviderReferredToTheAnswerIsAe() throws Exception {
        String noTeam = ref("I12", "RR-NO-RT", "9990050066", "RR-5", "P|U||||{id}").replace(RefMessages.SPA + "\r", "");

        String ack = send(noTeam);

        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|RR-NO-RT");
        assertThat(segment(ack, "ERR")).contains("|PRD^1^1|").contains("role RT");
    }

    @Test
    void aStatusQueryIsRefusedWithTheReason() throws Exception {
        String ack = send(ref("I15", "RR-QUERY", "9990050074", "RR-6", "P|U||||{id}"));

        assertThat(segment(ack, "MSA")).startsWith("MSA|AR|RR-QUERY");
        assertThat(segment(ack, "ERR")).contains("status query");
    }
}
