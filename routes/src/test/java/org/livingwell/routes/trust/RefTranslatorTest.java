package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingwell.routes.trust.AdtMessages.NHS_NUMBER;
import static org.livingwell.routes.trust.AdtMessages.PD1;
import static org.livingwell.routes.trust.AdtMessages.PID;
import static org.livingwell.routes.trust.AdtMessages.upsert;
import static org.livingwell.routes.trust.RefMessages.DG1;
import static org.livingwell.routes.trust.RefMessages.EPISODE_SEARCH;
import static org.livingwell.routes.trust.RefMessages.NOTE;
import static org.livingwell.routes.trust.RefMessages.REFERRAL_SEARCH;
import static org.livingwell.routes.trust.RefMessages.REFERRER;
import static org.livingwell.routes.trust.RefMessages.SPA;
import static org.livingwell.routes.trust.RefMessages.episode;
import static org.livingwell.routes.trust.RefMessages.hasEpisode;
import static org.livingwell.routes.trust.RefMessages.message;
import static org.livingwell.routes.trust.RefMessages.referral;
import static org.livingwell.routes.trust.RefMessages.rf1;
import static org.livingwell.routes.trust.RefMessages.translate;
import static org.livingwell.routes.trust.RefMessages.typical;

import ca.uhn.hl7v2.ErrorCode;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.HealthcareService;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;

class RefTranslatorTest {

    private static final String TEAMS = "https://fhir.livingwell.example/Id/rv5/team";
    private static final String ODS = OdsOrganization.ODS_SYSTEM;

    static Stream<Arguments> everyEventInEveryVersion() {
        return Stream.of("I12", "I13", "I14").flatMap(trigger -> Stream.of("2.3", "2.4", "2.5.1", "2.8")
                .map(version -> Arguments.of(trigger, version)));
    }

    @ParameterizedTest(name = "REF^{0} v{1}")
    @MethodSource("everyEventInEveryVersion")
    void everyEventParsesAndTranslatesInEveryVersion(String trigger, String version) {
        String type = version.equals("2.3") ? "REF^" + trigger : "REF^" + trigger + "^REF_I12";
        RecordChange change = translate(typical(trigger, "P^Pending^HL70283")
                .replace("REF^" + trigger + "^REF_I12|C-" + trigger + "|P|2.5.1", type + "|C-" + trigger + "|P|" + version));

        assertThat(change.origin()).isEqualTo(new RecordChange.Origin("trust-hl7", "TRUSTEPR^RV5", "C-" + trigger,
                "2024-03-15T09:30:00Z"));
        assertThat(change.upserts().get(0).search()).isEqualTo("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + NHS_NUMBER);
        // Patient, the trust, the practice (PD1-3, and the referrer's), the team referred to, the referral; a
        // cancellation may end a caseload episode.
        List<String> types = new java.util.ArrayList<>(List.of("Patient", "Organization", "Organization", "HealthcareService", "ServiceRequest"));
        if (trigger.equals("I14")) {
            types.add("EpisodeOfCare");
        }
        assertThat(change.upserts()).extracting(u -> u.type().getSimpleName()).isEqualTo(types);
        assertThat(upsert(change, ServiceRequest.class).search()).isEqualTo(REFERRAL_SEARCH);
        assertThat(referral(change, null).getStatus())
                .isEqualTo(trigger.equals("I14") ? ServiceRequestStatus.REVOKED : ServiceRequestStatus.ACTIVE);
    }

    @Test
    void anI14SentAsTheStructureRefI14IsReadAllTheSame() {
        String sentAsRefI14 = typical("I14", "P^Pending^HL70283").replace("REF^I14^REF_I12", "REF^I14^REF_I14");

        assertThat(referral(translate(sentAsRefI14), null).getStatus()).isEqualTo(ServiceRequestStatus.REVOKED);
        assertThat(referral(translate(sentAsRefI14), null).getNote()).extracting(Annotation::getText)
                .containsExactly("Referred after review in surgery");
    }

    @ParameterizedTest
    @CsvSource({"REF, I12, true", "REF, I13, true", "ref, i14, true", "REF, I15, false", "REF, I11, false",
            "ADT, A04, false", "RRI, I12, false"})
    void supportsNewModifyAndCancel(String code, String trigger, boolean supported) {
        assertThat(new RefTranslator().supports(new Hl7Header("C1", code, trigger, "TRUSTEPR", "RV5", "P"))).isEqualTo(supported);
    }

    @Test
    void aNewReferralCarriesEveryMappedElement() {
        RecordChange change = translate(typical("I12", "P^Pending^HL70283"));
        ServiceRequest request = referral(change, null);

        assertThat(request.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(ReferralEvents.PROFILE);
        assertThat(request.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple("https://fhir.livingwell.example/Id/rv5/referral-id", "REF0001"),
                org.assertj.core.groups.Tuple.tuple("https://fhir.livingwell.example/Id/rv5/external-referral-id", "000000000001"));
        assertThat(request.getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
        assertThat(referralStatus(request)).isEqualTo("P");
        assertThat(request.getIntent()).isEqualTo(ServiceRequestIntent.ORDER);
        assertThat(request.getPriority()).isEqualTo(ServiceRequestPriority.URGENT);
        assertThat(coding(request.getCategoryFirstRep())).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0284|O|Outpatient");
        assertThat(coding(request.getCode())).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0281|Psy|Psychiatric");
        assertThat(request.getReasonCode()).extracting(RefTranslatorTest::coding).containsExactly(
                "http://terminology.hl7.org/CodeSystem/v2-0336|S|Second Opinion",
                "http://hl7.org/fhir/sid/icd-10|F20.0|Paranoid schizophrenia");
        assertThat(request.getAuthoredOnElement().getValueAsString()).isEqualTo("2024-03-14T10:00:00Z");
        assertThat(request.getSubject().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(request.getSubject().getIdentifier().getValue()).isEqualTo(NHS_NUMBER);
        assertThat(request.getNote()).extracting(Annotation::getText).containsExactly("Referred after review in surgery");
        assertThat(request.getNoteFirstRep().getTimeElement().getValueAsString()).isEqualTo("2024-03-15T09:30:00Z");

        // RP: the GP's practice by its ODS code, the same Organization as the patient's registered practice.
        assertThat(change.upserts().stream().filter(u -> u.type() == Organization.class).map(Upsert::search))
                .containsExactly(byOds("RV5"), byOds("Y99999"));
        assertThat(request.getRequester().getReference()).isEqualTo(organization(change, "Y99999").reference());
        assertThat(request.getRequester().getIdentifier().getValue()).isEqualTo("Y99999");

        // RT: the trust's single point of access, a HealthcareService the trust provides.
        Upsert<HealthcareService> team = upsert(change, HealthcareService.class);
        assertThat(team.search()).isEqualTo("HealthcareService?identifier=" + TEAMS + "|SPA");
        HealthcareService spa = team.update().apply(java.util.Optional.empty());
        assertThat(spa.getName()).isEqualTo("Single Point of Access");
        assertThat(spa.getProvidedBy().getReference()).isEqualTo(organization(change, "RV5").reference());
        assertThat(request.getPerformer()).hasSize(1);
        assertThat(request.getPerformerFirstRep().getReference()).isEqualTo(team.reference());
        assertThat(request.getPerformerFirstRep().getIdentifier().getValue()).isEqualTo("SPA");
        assertThat(request.getPerformerFirstRep().getDisplay()).isEqualTo("Single Point of Access");

        assertThat(change.notes()).containsExactly("unmapped segments (ignored): ZRF");
        assertThat(hasEpisode(change)).as("a pending referral puts nobody on a caseload").isFalse();
    }

    @Test
    void theSameMessageAppliedAgainChangesNothing() {
        RecordChange change = translate(typical("I12", "A^Accepted^HL70283"));
        ServiceRequest once = referral(change, null);
        EpisodeOfCare episode = episode(change, null, null);

        assertThat(referral(change, once).equalsDeep(once)).isTrue();
        assertThat(episode(change, once, episode).equalsDeep(episode)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"P, active", "A, active", "R, revoked", "E, completed", "p, active"})
    void rf1StatusRefinesTheStatusAndIsKeptAsSent(String rf1Status, String status) {
        ServiceRequest request = referral(translate(typical("I13", rf1Status)), null);

        assertThat(request.getStatus().toCode()).isEqualTo(status);
        assertThat(request.getExtensionByUrl(ReferralEvents.REFERRAL_STATUS_URL).getValue())
                .isInstanceOfSatisfying(Coding.class, code -> {
                    assertThat(code.getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0283");
                    assertThat(code.getCode()).isEqualTo(rf1Status.toUpperCase());
                });
    }

    @Test
    void anUnknownStatusIsLeftOutWithANote() {
        RecordChange change = translate(typical("I12", "C^Cancelled^L"));

        assertThat(referral(change, null).getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
        assertThat(referral(change, null).hasExtension(ReferralEvents.REFERRAL_STATUS_URL)).isFalse();
        assertThat(change.notes()).anySatisfy(note -> assertThat(note).startsWith("RF1-1: referral status 'C' is not in table 0283"));
    }

    @ParameterizedTest
    @CsvSource({"S, stat", "A, asap", "U, urgent", "R, routine", "r, routine"})
    void rf1PriorityMapsThroughTable0280(String rf1Priority, String priority) {
        String message = message("I12", rf1("P", rf1Priority), SPA, PID);

        assertThat(referral(translate(message), null).getPriority().toCode()).isEqualTo(priority);
    }

    @Test
    void anUnknownPriorityIsLeftOutWithANoteAndAHeldOneKept() {
        RecordChange change = translate(message("I12", rf1("P", "Z^Whenever"), SPA, PID));

        assertThat(referral(change, null).hasPriority()).isFalse();
        assertThat(change.notes()).containsExactly("RF1-2: priority 'Z' is not in table 0280; left out");
        ServiceRequest urgent = referral(translate(message("I12", rf1("P", "U"), SPA, PID)), null);
        assertThat(referral(change, urgent).getPriority()).isEqualTo(ServiceRequestPriority.URGENT);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "PSY^Psychiatric referral;     http://terminology.hl7.org/CodeSystem/v2-0281|Psy|Psychiatric",
        "Hom^Home care^HL70281;        http://terminology.hl7.org/CodeSystem/v2-0281|Hom|Home Care",
        "CMHT^Community team^L;        null|CMHT|Community team",
        "CMHT^Community team;          null|CMHT|Community team",
        "12345^Referral^SCT;           http://snomed.info/sct|12345|Referral"})
    void rf1TypeIsTheCodeWithTable0281OrAsSentWhenLocal(String rf1Type, String expected) {
        String rf1 = "RF1|P|R|" + rf1Type + "|||REF0001";

        assertThat(coding(referral(translate(message("I12", rf1, SPA, PID)), null).getCode())).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"A, Ambulatory", "E, Emergency", "I, Inpatient", "O, Outpatient"})
    void rf1CategoryIsTable0284(String code, String display) {
        String rf1 = "RF1|P|R|||" + code + "|REF0001";

        assertThat(coding(referral(translate(message("I12", rf1, SPA, PID)), null).getCategoryFirstRep()))
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0284|" + code + "|" + display);
    }

    @ParameterizedTest
    @CsvSource({"O, Provider Ordered", "P, Patient Preference", "S, Second Opinion", "W, Work Load"})
    void rf1ReasonIsTable0336(String code, String display) {
        String rf1 = "RF1|P|R||||REF0001||||" + code;

        assertThat(coding(referral(translate(message("I12", rf1, SPA, PID)), null).getReasonCodeFirstRep()))
                .isEqualTo("http://terminology.hl7.org/CodeSystem/v2-0336|" + code + "|" + display);
    }

    @Test
    void diagnosesAreIcd10ReasonsWhateverCe3SaysOfIt() {
        String message = message("I12", rf1("P", "R"), SPA, PID, "DG1|1||F31.1^Bipolar affective disorder",
                "DG1|2||F20.0^Paranoid schizophrenia^ICD10^1234^Schizophrenia^SNOMED");

        assertThat(referral(translate(message), null).getReasonCode()).extracting(RefTranslatorTest::codings).containsExactly(
                List.of("http://terminology.hl7.org/CodeSystem/v2-0336|S|Second Opinion"),
                List.of("http://hl7.org/fhir/sid/icd-10|F31.1|Bipolar affective disorder"),
                List.of("http://hl7.org/fhir/sid/icd-10|F20.0|Paranoid schizophrenia", "http://snomed.info/sct|1234|Schizophrenia"));
    }

    @Test
    void reasonsAccumulateAndOneSentAgainIsNotRepeated() {
        ServiceRequest created = referral(translate(typical("I12", "P")), null);

        String i13 = message("I13", "RF1||||||REF0001", SPA, PID, "DG1|1||F20.0^Schizophrenia, paranoid^I10", "DG1|2||F41.1^Anxiety^I10");
        ServiceRequest modified = referral(translate(i13), created);

        assertThat(modified.getReasonCode()).extracting(RefTranslatorTest::coding).containsExactly(
                "http://terminology.hl7.org/CodeSystem/v2-0336|S|Second Opinion",
                "http://hl7.org/fhir/sid/icd-10|F20.0|Paranoid schizophrenia",
                "http://hl7.org/fhir/sid/icd-10|F41.1|Anxiety");
    }

    @Test
    void authoredOnIsRf17ElseRf19ElseTheMessageTime() {
        assertThat(referral(translate(message("I12", "RF1|P|R||||REF0001|20240301", SPA, PID)), null)
                .getAuthoredOnElement().getValueAsString()).isEqualTo("2024-03-01");
        assertThat(referral(translate(message("I12", "RF1|P|R||||REF0001|||20240302", SPA, PID)), null)
                .getAuthoredOnElement().getValueAsString()).isEqualTo("2024-03-02");
        assertThat(referral(translate(message("I12", "RF1|P|R||||REF0001", SPA, PID)), null)
                .getAuthoredOnElement().getValueAsString()).isEqualTo("2024-03-15T09:30:00Z");
    }

    @Test
    void aModificationDoesNotMoveAuthoredOnToItsOwnTime() {
        ServiceRequest created = referral(translate(typical("I12", "P")), null);

        ServiceRequest modified = referral(translate(message("I13", "RF1|A|||||REF0001", SPA, PID)), created);

        assertThat(modified.getAuthoredOnElement().getValueAsString()).isEqualTo("2024-03-14T10:00:00Z");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "GMC number;            PRD|RP|PATEL^ANIL^^^DR|||||C7654321^GMC;   https://fhir.hl7.org.uk/Id/gmc-number|C7654321",
        "GP national code;      PRD|RP|SMITH^JANE^^^DR|||||G1234567^GMP;   https://fhir.hl7.org.uk/Id/gmp-number|G1234567",
        "trust staff code;      PRD|RP|JONES^SAM|||||N0042^L;               https://fhir.livingwell.example/Id/rv5/staff|N0042"})
    void aReferrerWithoutAnOdsCodeIsAPractitioner(String description, String prd, String identifier) {
        RecordChange change = translate(message("I12", rf1("P", "R"), prd, SPA, PID));
        Upsert<Practitioner> practitioner = upsert(change, Practitioner.class);
        Practitioner created = practitioner.update().apply(java.util.Optional.empty());

        assertThat(practitioner.search()).isEqualTo("Practitioner?identifier=" + identifier);
        assertThat(created.getIdentifierFirstRep().getSystem() + "|" + created.getIdentifierFirstRep().getValue()).isEqualTo(identifier);
        assertThat(created.getNameFirstRep().getFamily()).isNotBlank();
        ServiceRequest request = referral(change, null);
        assertThat(request.getRequester().getReference()).isEqualTo(practitioner.reference());
        assertThat(request.getRequester().getDisplay()).isNotBlank();
    }

    @Test
    void aReferrerOrganizationMayComeInPrd10AsV26AndLaterSendIt() {
        String prd = "PRD|RP|SMITH^JANE||||||||Example Surgery^^^^^^^^^Y88888";
        RecordChange change = translate(message("I12", rf1("P", "R"), prd, SPA, PID));

        Upsert<Organization> practice = organization(change, "Y88888");
        assertThat(practice.update().apply(java.util.Optional.empty()).getName()).isEqualTo("Example Surgery");
        assertThat(referral(change, null).getRequester().getReference()).isEqualTo(practice.reference());
    }

    @Test
    void aReferrerKnownOnlyByNameIsNamedAndNothingIsCreated() {
        RecordChange change = translate(message("I12", rf1("P", "R"), "PRD|RP|WALKER^ROBIN", SPA, PID));

        Reference requester = referral(change, null).getRequester();
        assertThat(requester.hasReference()).isFalse();
        assertThat(requester.getDisplay()).isEqualTo("ROBIN WALKER");
        assertThat(change.upserts()).noneMatch(u -> u.type() == Practitioner.class);
    }

    @Test
    void withoutAReferrerThePatientAskedForThemselves() {
        RecordChange change = translate(message("I12", rf1("P", "R"), SPA, PID));
        ServiceRequest request = referral(change, null);

        assertThat(request.getRequester().getReference()).isEqualTo(upsert(change, Patient.class).reference());

        ServiceRequest gpReferral = referral(translate(typical("I12", "P")), null);
        assertThat(referral(change, gpReferral).getRequester().getIdentifier().getValue())
                .as("a later message without RP keeps the referrer held").isEqualTo("Y99999");
    }

    @Test
    void aReferralToAPartnerOrganizationHasItAsPerformerAndNoCaseload() {
        String partner = "PRD|RT|Example Wellbeing Hub|||||89X01^ODS";
        RecordChange change = translate(message("I12", rf1("A", "R"), REFERRER, partner, PID));

        Upsert<Organization> hub = organization(change, "89X01");
        assertThat(hub.update().apply(java.util.Optional.empty()).getMeta().getProfile()).isNotEmpty();
        assertThat(referral(change, null).getPerformerFirstRep().getReference()).isEqualTo(hub.reference());
        assertThat(change.upserts()).noneMatch(u -> u.type() == HealthcareService.class);
        assertThat(hasEpisode(change)).isFalse();
    }

    @Test
    void aReferralToTheTrustWithoutATeamHasTheTrustAsPerformer() {
        RecordChange change = translate(message("I12", rf1("A", "R"), "PRD|RT|Example Trust|||||RV5^ODS", PID));

        assertThat(referral(change, null).getPerformerFirstRep().getReference()).isEqualTo(organization(change, "RV5").reference());
        assertThat(hasEpisode(change)).isFalse();
    }

    @Test
    void onlyTheReferralsOwnNotesAreNotesAndAModificationAddsToThemOnce() {
        String observation = "OBR|1|||TEST^Test\rOBX|1|ST|TEST^Test||Positive\rNTE|1||About the test, not the referral";
        ServiceRequest created = referral(translate(message("I12", rf1("P", "R"), SPA, PID, observation, "PV1|1|O", NOTE)), null);
        assertThat(created.getNote()).extracting(Annotation::getText).containsExactly("Referred after review in surgery");

        String i13 = message("I13", rf1("P", "S"), SPA, PID, NOTE, "NTE|2||Seen in clinic: urgent~Call before visiting");
        ServiceRequest modified = referral(translate(i13), created);

        assertThat(modified.getNote()).extracting(Annotation::getText)
                .containsExactly("Referred after review in surgery", "Seen in clinic: urgent\nCall before visiting");
        assertThat(referral(translate(i13), modified).getNote()).hasSize(2);
    }

    @Test
    void aModificationChangesOnlyWhatItCarries() {
        ServiceRequest created = referral(translate(typical("I12", "P")), null);

        ServiceRequest modified = referral(translate(message("I13", "RF1||S||||REF0001", SPA, PID)), created);

        assertThat(modified.getPriority()).isEqualTo(ServiceRequestPriority.STAT);
        assertThat(modified.getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
        assertThat(referralStatus(modified)).isEqualTo("P");
        assertThat(modified.getCode().equalsDeep(created.getCode())).isTrue();
        assertThat(modified.getCategoryFirstRep().equalsDeep(created.getCategoryFirstRep())).isTrue();
        assertThat(modified.getReasonCode()).hasSize(2);
        assertThat(modified.getRequester().equalsDeep(created.getRequester())).isTrue();
        assertThat(modified.getNote()).hasSize(1);
        assertThat(modified.getIdentifier()).hasSize(2);
    }

    @Test
    void aCancellationRevokesAndAClosedReferralStaysClosed() {
        ServiceRequest created = referral(translate(typical("I12", "A")), null);

        ServiceRequest cancelled = referral(translate(typical("I14", "A")), created);
        assertThat(cancelled.getStatus()).isEqualTo(ServiceRequestStatus.REVOKED);

        ServiceRequest lateAcceptance = referral(translate(typical("I13", "A")), cancelled);
        assertThat(lateAcceptance.getStatus()).as("links do not keep order: a late I13 does not reopen").isEqualTo(ServiceRequestStatus.REVOKED);
        ServiceRequest expired = referral(translate(typical("I13", "E")), referral(translate(typical("I13", "A")), null));
        assertThat(referral(translate(typical("I13", "A")), expired).getStatus()).isEqualTo(ServiceRequestStatus.COMPLETED);
        assertThat(referralStatus(referral(translate(typical("I13", "A")), expired))).isEqualTo("E");
    }

    @Test
    void aModificationOrCancellationOfAReferralNeverSeenCreatesItAndSaysSo() {
        assertThat(upsert(translate(typical("I12", "P")), ServiceRequest.class).createdNote()).isNull();
        assertThat(upsert(translate(typical("I13", "A")), ServiceRequest.class).createdNote())
                .startsWith("REF^I13 for a referral not in the record: created");
        assertThat(upsert(translate(typical("I14", "A")), ServiceRequest.class).createdNote())
                .startsWith("REF^I14 for a referral not in the record: created");

        ServiceRequest fromModification = referral(translate(typical("I13", "A")), null);
        assertThat(fromModification.getStatus()).isEqualTo(ServiceRequestStatus.ACTIVE);
        assertThat(fromModification.getPriority()).isEqualTo(ServiceRequestPriority.URGENT);
    }

    @Test
    void anAcceptedReferralToATrustTeamPutsThePatientOnItsCaseload() {
        RecordChange change = translate(typical("I13", "A^Accepted^HL70283"));
        Upsert<EpisodeOfCare> upsert = upsert(change, EpisodeOfCare.class);
        EpisodeOfCare episode = episode(change, null, null);

        assertThat(upsert.search()).isEqualTo(EPISODE_SEARCH);
        assertThat(change.upserts().get(change.upserts().size() - 1)).as("after the referral it follows").isSameAs(upsert);
        assertThat(episode.getMeta().getProfile()).extracting(p -> p.getValue()).containsExactly(CaseloadEpisode.PROFILE);
        assertThat(episode.getIdentifierFirstRep().getValue()).isEqualTo("REF0001");
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(coding(episode.getTypeFirstRep()))
                .isEqualTo("https://fhir.livingwell.example/CodeSystem/lw-episode-type|trust-community-team|On a trust community team's caseload");
        assertThat(episode.getPatient().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(episode.getManagingOrganization().getReference()).isEqualTo(organization(change, "RV5").reference());
        assertThat(episode.getReferralRequestFirstRep().getReference()).isEqualTo(upsert(change, ServiceRequest.class).reference());
        assertThat(episode.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T09:30:00Z");
        assertThat(episode.getPeriod().hasEnd()).isFalse();
        assertThat(episode.getTeamFirstRep().getIdentifier().getSystem()).isEqualTo(TEAMS);
        assertThat(episode.getTeamFirstRep().getIdentifier().getValue()).isEqualTo("SPA");
        assertThat(episode.getTeamFirstRep().getDisplay()).isEqualTo("Single Point of Access");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cancelled (I14), I14, A", "rejected, I13, R", "expired, I13, E"})
    void theCaseloadEpisodeEndsWhenTheReferralDoes(String description, String trigger, String status) {
        RecordChange accepted = translate(typical("I12", "A"));
        ServiceRequest referral = referral(accepted, null);
        EpisodeOfCare open = episode(accepted, null, null);

        RecordChange ending = translate(message(trigger, rf1(status, "U"), SPA, PID).replace("20240315093000", "20240420120000"));
        EpisodeOfCare ended = episode(ending, referral, open);

        assertThat(ended.getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(ended.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T09:30:00Z");
        assertThat(ended.getPeriod().getEndElement().getValueAsString()).isEqualTo("2024-04-20T12:00:00+01:00");
        assertThat(episode(ending, referral(ending, referral), ended).equalsDeep(ended)).as("ended once").isTrue();
    }

    @Test
    void aLateAcceptanceOfAClosedReferralOpensNoEpisode() {
        ServiceRequest cancelled = referral(translate(typical("I14", "P")), null);

        assertThat(episode(translate(typical("I13", "A")), cancelled, null)).isNull();
    }

    @Test
    void aCancellationOfAReferralNobodyAcceptedWritesNoEpisode() {
        assertThat(episode(translate(typical("I14", "P")), null, null)).isNull();
        assertThat(hasEpisode(translate(typical("I13", "P")))).isFalse();
    }

    @Test
    void anEndedEpisodeIsNotReopened() {
        RecordChange accepted = translate(typical("I12", "A"));
        ServiceRequest referral = referral(accepted, null);
        EpisodeOfCare ended = episode(accepted, null, null).setStatus(EpisodeOfCareStatus.FINISHED);

        assertThat(episode(accepted, referral, ended).getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
    }

    static Stream<Arguments> contentErrors() {
        return Stream.of(
                Arguments.of("no RF1", message("I12", SPA, PID), "RF1-6", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("RF1-6 empty", message("I12", "RF1|P|R|||||20240301", SPA, PID), "RF1-6", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("no PRD", message("I12", rf1("P", "R"), PID), "PRD-1", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("only a referrer", message("I12", rf1("P", "R"), REFERRER, PID), "PRD-1", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("RT unidentified", message("I12", rf1("P", "R"), "PRD|RT|Somebody", PID), "PRD-7", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("no PID", message("I12", rf1("P", "R"), SPA), "PID", ErrorCode.SEGMENT_SEQUENCE_ERROR),
                Arguments.of("no NHS number", message("I12", rf1("P", "R"), SPA, "PID|1||RV5000001^^^RV5^MR||TEST^PERSON"),
                        "PID-3", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("impossible effective date", message("I12", "RF1|P|R||||REF0001|20240231", SPA, PID),
                        "RF1-7", ErrorCode.DATA_TYPE_ERROR),
                Arguments.of("no sending facility", message("I12", rf1("P", "R"), SPA, PID).replace("|TRUSTEPR|RV5|", "|TRUSTEPR||"),
                        "MSH-4", ErrorCode.REQUIRED_FIELD_MISSING),
                Arguments.of("no message time", message("I12", rf1("P", "R"), SPA, PID).replace("|20240315093000|", "||"),
                        "MSH-7", ErrorCode.REQUIRED_FIELD_MISSING));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contentErrors")
    void unusableContentNamesTheFieldAndTheErrorCode(String description, String message, String field, ErrorCode code) {
        assertThatThrownBy(() -> translate(message)).isInstanceOfSatisfying(Hl7TranslationException.class, problem -> {
            assertThat(problem.field()).isEqualTo(field);
            assertThat(problem.errorCode()).isEqualTo(code);
        });
    }

    private static String referralStatus(ServiceRequest request) {
        return ((Coding) request.getExtensionByUrl(ReferralEvents.REFERRAL_STATUS_URL).getValue()).getCode();
    }

    private static Upsert<Organization> organization(RecordChange change, String odsCode) {
        @SuppressWarnings("unchecked")
        Upsert<Organization> found = (Upsert<Organization>) change.upserts().stream()
                .filter(u -> u.search().equals(byOds(odsCode))).findFirst().orElseThrow();
        return found;
    }

    private static String byOds(String odsCode) {
        return "Organization?identifier=" + ODS + "|" + odsCode;
    }

    /** The first coding as system|code|display. */
    private static String coding(CodeableConcept concept) {
        Coding coding = concept.getCodingFirstRep();
        return coding.getSystem() + "|" + coding.getCode() + "|" + coding.getDisplay();
    }

    private static List<String> codings(CodeableConcept concept) {
        return concept.getCoding().stream().map(c -> c.getSystem() + "|" + c.getCode() + "|" + c.getDisplay()).toList();
    }
}
