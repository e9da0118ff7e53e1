package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.trust.MllpClient;

/**
 * A referral's life on the trust feed, over a real MLLP socket into the real record and read back through /fhir:
 * new (I12) to the single point of access, modified (I13: priority, a note), accepted (I13: the team's caseload
 * episode opens), cancelled (I14: the referral is revoked and the episode ends); and a modification that arrives
 * before its referral. {@link SharedRecordContract} runs it on every database.
 */
final class TrustReferralJourney {

    static final String REFERRAL_IDS = "https://fhir.livingwell.example/Id/rv5/referral-id";
    static final String TEAMS = "https://fhir.livingwell.example/Id/rv5/team";
    static final String EPISODE_TYPE = "https://fhir.livingwell.example/CodeSystem/lw-episode-type|trust-community-team";
    private static final String PROFILES = "https://fhir.livingwell.example/StructureDefinition/";

    private final IGenericClient fhir;
    private final MllpClient trust;
    private final MessageLog messageLog;
    private final String nhsNumber;
    private final String referralId;
    private final String team;
    private final String practice;
    /** The control ID of the last message sent, by trigger. */
    private final Map<String, String> last = new HashMap<>();

    TrustReferralJourney(IGenericClient fhir, MllpClient trust, MessageLog messageLog, String nhsNumber) {
        this.fhir = fhir;
        this.trust = trust;
        this.messageLog = messageLog;
        this.nhsNumber = nhsNumber;
        this.referralId = "R" + nhsNumber;
        // A team of this journey's own, so that searching by performer finds this referral alone.
        this.team = "SPA-" + nhsNumber;
        this.practice = TestNhsNumbers.practice();
    }

    void newModifiedAcceptedCancelled() throws Exception {
        send("I12", "20261201090000", "P^Pending^HL70283|R^Routine^HL70280|Psy^Psychiatric^HL70281||O^Outpatient^HL70284|"
                        + referralId + "^RV5|20261201083000||20261201|S^Second Opinion^HL70336|E" + nhsNumber + "^ERS",
                "NTE|1||Referred by the GP after a review", "ZRF|1|LOCAL");
        ServiceRequest created = referral();
        assertThat(created.getMeta().getProfile()).extracting(p -> p.getValue()).contains(PROFILES + "LWServiceRequest");
        assertThat(created.getMeta().getSource()).isEqualTo("urn:livingwell:feed:trust-hl7:message:" + referralId + "-I12");
        assertThat(created.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple(REFERRAL_IDS, referralId),
                org.assertj.core.groups.Tuple.tuple("https://fhir.livingwell.example/Id/rv5/external-referral-id", "E" + nhsNumber));
        assertThat(created.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(referralStatus(created)).isEqualTo("P");
        assertThat(created.getIntent()).isEqualTo(ServiceRequest.ServiceRequestIntent.ORDER);
        assertThat(created.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
        assertThat(coding(created.getCategoryFirstRep())).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0284|O");
        assertThat(coding(created.getCode())).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0281|Psy");
        assertThat(created.getReasonCode()).extracting(TrustReferralJourney::coding).containsExactly(
                "http://terminology.hl7.org/CodeSystem/v2-0336|S", "http://hl7.org/fhir/sid/icd-10|F20.0");
        assertThat(created.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-12-01T08:30:00Z");
        Patient patient = one(Patient.class, "Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Referral");
        assertThat(idOf(created.getSubject().getReference())).isEqualTo(patient.getIdElement().getIdPart());
        Organization gp = one(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|" + practice);
        assertThat(idOf(created.getRequester().getReference())).isEqualTo(gp.getIdElement().getIdPart());
        assertThat(idOf(patient.getGeneralPractitionerFirstRep().getReference())).as("PD1 and the referrer: one practice")
                .isEqualTo(gp.getIdElement().getIdPart());
        HealthcareService spa = one(HealthcareService.class, "HealthcareService?identifier=" + TEAMS + "|" + team);
        assertThat(spa.getName()).isEqualTo("Single Point of Access");
        Organization theTrust = one(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|RV5");
        assertThat(idOf(spa.getProvidedBy().getReference())).isEqualTo(theTrust.getIdElement().getIdPart());
        assertThat(created.getPerformer()).singleElement().satisfies(performer ->
                assertThat(performer.getReference()).isEqualTo("HealthcareService/" + spa.getIdElement().getIdPart()));
        assertThat(created.getNote()).extracting(Annotation::getText).containsExactly("Referred by the GP after a review");
        assertThat(logged("I12").notes()).containsExactly("unmapped segments (ignored): ZRF");
        assertThat(search(ServiceRequest.class, "ServiceRequest?subject.identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber))
                .extracting(r -> r.getIdElement().getIdPart()).containsExactly(created.getIdElement().getIdPart());

        // I13 with what changed only: the priority, and a note.
        send("I13", "20261202110000", "|U^Urgent^HL70280||||" + referralId, "NTE|1||Urgent: seen in surgery today");
        ServiceRequest modified = referral();
        assertThat(modified.getIdElement().getIdPart()).isEqualTo(created.getIdElement().getIdPart());
        assertThat(modified.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.URGENT);
        assertThat(modified.getNote()).extracting(Annotation::getText)
                .containsExactly("Referred by the GP after a review", "Urgent: seen in surgery today");
        assertThat(referralStatus(modified)).isEqualTo("P");
        assertThat(modified.getReasonCode()).hasSize(2);
        assertThat(modified.getCode().equalsDeep(created.getCode())).isTrue();
        assertThat(idOf(modified.getRequester().getReference())).isEqualTo(gp.getIdElement().getIdPart());

        // Accepted: on the team's caseload.
        send("I13", "20261203100000", "A^Accepted^HL70283|||||" + referralId);
        ServiceRequest accepted = referral();
        assertThat(referralStatus(accepted)).isEqualTo("A");
        assertThat(accepted.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        EpisodeOfCare episode = episode();
        assertThat(episode.getMeta().getProfile()).extracting(p -> p.getValue()).contains(PROFILES + "LWEpisodeOfCare");
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        assertThat(coding(episode.getTypeFirstRep())).isEqualTo(EPISODE_TYPE);
        assertThat(idOf(episode.getPatient().getReference())).isEqualTo(patient.getIdElement().getIdPart());
        assertThat(idOf(episode.getManagingOrganization().getReference())).isEqualTo(theTrust.getIdElement().getIdPart());
        assertThat(idOf(episode.getReferralRequestFirstRep().getReference())).isEqualTo(created.getIdElement().getIdPart());
        assertThat(episode.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(episode.getPeriod().hasEnd()).isFalse();
        assertThat(episode.getTeamFirstRep().getIdentifier().getValue()).isEqualTo(team);
        assertThat(episode.getTeamFirstRep().getDisplay()).isEqualTo("Single Point of Access");
        assertThat(ids(search(EpisodeOfCare.class, "EpisodeOfCare?status=active&type=" + EPISODE_TYPE + "&_count=200")))
                .contains(episode.getIdElement().getIdPart());
        String teamsReferrals = "ServiceRequest?status=active&performer=HealthcareService/" + spa.getIdElement().getIdPart();
        assertThat(ids(search(ServiceRequest.class, teamsReferrals))).containsExactly(created.getIdElement().getIdPart());
        String teamsCaseload = "EpisodeOfCare?status=active&type=" + EPISODE_TYPE
                + "&incoming-referral.performer=HealthcareService/" + spa.getIdElement().getIdPart();
        assertThat(ids(search(EpisodeOfCare.class, teamsCaseload))).containsExactly(episode.getIdElement().getIdPart());
        conformsToItsProfile(accepted, "LWServiceRequest");
        conformsToItsProfile(episode, "LWEpisodeOfCare");

        // Cancelled: the referral is revoked and the patient leaves the caseload.
        send("I14", "20261210160000", "A^Accepted^HL70283|||||" + referralId);
        ServiceRequest cancelled = referral();
        assertThat(cancelled.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        EpisodeOfCare ended = episode();
        assertThat(ended.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        assertThat(ended.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-12-03T10:00:00Z");
        assertThat(ended.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-12-10T16:00:00Z");
        assertThat(ids(search(EpisodeOfCare.class, "EpisodeOfCare?status=active&type=" + EPISODE_TYPE + "&_count=200")))
                .doesNotContain(ended.getIdElement().getIdPart());
        assertThat(search(ServiceRequest.class, teamsReferrals)).isEmpty();
        assertThat(search(EpisodeOfCare.class, teamsCaseload)).isEmpty();
        conformsToItsProfile(cancelled, "LWServiceRequest");
        conformsToItsProfile(ended, "LWEpisodeOfCare");
        conformsToItsProfile(patient, "LWPatient");
        conformsToItsProfile(gp, "LWOrganization");
        conformsToItsProfile(theTrust, "LWOrganization");

        List<Provenance> provenance = search(Provenance.class, "Provenance?target=ServiceRequest/" + created.getIdElement().getIdPart());
        assertThat(provenance).extracting(p -> p.getEntityFirstRep().getWhat().getIdentifier().getValue()).containsExactlyInAnyOrder(
                "TRUSTEPR^RV5|" + referralId + "-I12", "TRUSTEPR^RV5|" + referralId + "-I13-20261202110000",
                "TRUSTEPR^RV5|" + referralId + "-I13-20261203100000", "TRUSTEPR^RV5|" + referralId + "-I14");
        assertThat(search(ServiceRequest.class, "ServiceRequest?identifier=" + REFERRAL_IDS + "|" + referralId)).hasSize(1);
        assertThat(search(EpisodeOfCare.class, "EpisodeOfCare?patient.identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber)).hasSize(1);
    }

    void aModificationBeforeItsReferral() throws Exception {
        send("I13", "20261205090000", "P|U||||" + referralId, "NTE|1||Modified before the referral came");
        ServiceRequest early = referral();
        assertThat(early.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.URGENT);
        assertThat(logged("I13").notes()).singleElement().satisfies(note ->
                assertThat(note).startsWith("REF^I13 for a referral not in the record: created"));

        send("I12", "20261204090000", "P|R|Psy||O|" + referralId + "|20261204083000", "NTE|1||The referral itself");
        ServiceRequest both = referral();
        assertThat(both.getIdElement().getIdPart()).isEqualTo(early.getIdElement().getIdPart());
        assertThat(both.getPriority()).as("the last message applied says routine").isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
        assertThat(both.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-12-04T08:30:00Z");
        assertThat(both.getNote()).extracting(Annotation::getText)
                .containsExactly("Modified before the referral came", "The referral itself");
        assertThat(logged("I12").notes()).isEmpty();
        conformsToItsProfile(both, "LWServiceRequest");
    }

    /**
     * Sends one REF (control ID: referral id and trigger, with the time for an I13), expects AA, waits until it is
     * applied.
     */
    private void send(String trigger, String time, String rf1, String... more) throws Exception {
        String controlId = controlId(trigger, time);
        String message = String.join("\r",
                "MSH|^~\\&|TRUSTEPR|RV5|LWGATEWAY|LWNA|" + time + "||REF^" + trigger + "^REF_I12|" + controlId + "|P|2.5.1",
                "RF1|" + rf1,
                "PRD|RP^Referring Provider^HL70286|SMITH^JANE^^^DR|||||G1234567^GMP~" + practice + "^ODS",
                "PRD|RT^Referred to Provider^HL70286|Single Point of Access|||||" + team + "^TEAM",
                "PID|1||" + nhsNumber + "^^^NHS^NH||Referral^Robin^Jo||19840412|F|||9 Example Street^^London^^SE11 5AA^GBR^H",
                "PD1|||Example Surgery^^^^^^^^^" + practice,
                "DG1|1||F20.0^Paranoid schizophrenia^I10",
                "PV1|1|O");
        if (more.length > 0) {
            message += "\r" + String.join("\r", more);
        }
        assertThat(trust.send(message)).contains("MSA|AA|" + controlId);
        MessageLog.Key key = key(controlId);
        await().atMost(Duration.ofSeconds(30)).until(() -> messageLog.find(key)
                .map(entry -> entry.status() != MessageLog.Status.ACCEPTED).orElse(false));
        assertThat(messageLog.find(key).orElseThrow().status()).as("%s: %s", trigger, messageLog.find(key).orElseThrow().reason())
                .isEqualTo(MessageLog.Status.APPLIED);
        last.put(trigger, controlId);
    }

    private String controlId(String trigger, String time) {
        return referralId + "-" + trigger + (trigger.equals("I13") ? "-" + time : "");
    }

    /** The log entry of the last message of that trigger sent. */
    private MessageLog.Entry logged(String trigger) {
        return messageLog.find(key(last.get(trigger))).orElseThrow();
    }

    private static MessageLog.Key key(String controlId) {
        return new MessageLog.Key("trust-hl7", "TRUSTEPR^RV5", controlId);
    }

    private ServiceRequest referral() {
        return one(ServiceRequest.class, "ServiceRequest?identifier=" + REFERRAL_IDS + "|" + referralId);
    }

    private EpisodeOfCare episode() {
        return one(EpisodeOfCare.class, "EpisodeOfCare?identifier=https://fhir.livingwell.example/Id/rv5/referral-episode|" + referralId);
    }

    /** GET [type]/[id]/$validate?profile=...: what the record holds still meets the profile. */
    private void conformsToItsProfile(Resource resource, String profile) {
        Parameters parameters = new Parameters();
        parameters.addParameter().setName("profile").setValue(new StringType(PROFILES + profile));
        OperationOutcome outcome = LivingWellProfilesIT.validate(fhir.operation()
                .onInstance(resource.getIdElement().toUnqualifiedVersionless()).named("$validate").withParameters(parameters));
        assertThat(outcome.getIssue()).as("%s against %s", resource.getIdElement().toUnqualifiedVersionless(), profile)
                .noneMatch(issue -> issue.getSeverity() == OperationOutcome.IssueSeverity.ERROR
                        || issue.getSeverity() == OperationOutcome.IssueSeverity.FATAL);
    }

    private static String referralStatus(ServiceRequest request) {
        return ((Coding) request.getExtensionByUrl(PROFILES + "LWReferralStatus").getValue()).getCode();
    }

    private static String coding(CodeableConcept concept) {
        return concept.getCodingFirstRep().getSystem() + "|" + concept.getCodingFirstRep().getCode();
    }

    private static String idOf(String reference) {
        return reference.substring(reference.indexOf('/') + 1);
    }

    private static List<String> ids(List<? extends Resource> resources) {
        return resources.stream().map(r -> r.getIdElement().getIdPart()).toList();
    }

    private <R extends Resource> R one(Class<R> type, String url) {
        List<R> found = search(type, url);
        assertThat(found).as(url).hasSize(1);
        return found.get(0);
    }

    private <R extends Resource> List<R> search(Class<R> type, String url) {
        Bundle found = fhir.search().byUrl(url).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(entry -> type.cast(entry.getResource())).toList();
    }
}
