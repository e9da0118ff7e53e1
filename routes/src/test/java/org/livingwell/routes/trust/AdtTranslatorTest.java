package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.livingwell.routes.trust.AdtMessages.NHS_NUMBER;
import static org.livingwell.routes.trust.AdtMessages.OTHER_NHS_NUMBER;
import static org.livingwell.routes.trust.AdtMessages.PD1;
import static org.livingwell.routes.trust.AdtMessages.PID;
import static org.livingwell.routes.trust.AdtMessages.inpatientPv1;
import static org.livingwell.routes.trust.AdtMessages.message;
import static org.livingwell.routes.trust.AdtMessages.patient;
import static org.livingwell.routes.trust.AdtMessages.pv1;
import static org.livingwell.routes.trust.AdtMessages.translate;
import static org.livingwell.routes.trust.AdtMessages.upsert;

import ca.uhn.hl7v2.ErrorCode;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientElement;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.PatientMerge;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;

class AdtTranslatorTest {

    private static final String PATIENT_SEARCH = "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + NHS_NUMBER;
    private static final String ENCOUNTER_SEARCH =
            "Encounter?identifier=https://fhir.livingwell.example/Id/rv5/visit-number|V0001";
    private static final List<String> VERSIONS = List.of("2.2", "2.3", "2.4", "2.5.1", "2.8");

    private final AdtTranslator translator = new AdtTranslator();

    static Stream<Arguments> everyTriggerInEveryVersion() {
        return Stream.of("A01", "A02", "A03", "A04", "A05", "A06", "A07", "A08", "A11", "A12", "A13", "A28", "A31",
                        "A34", "A39", "A40")
                .flatMap(trigger -> VERSIONS.stream().map(version -> Arguments.of(trigger, version)));
    }

    /** The message each trigger is sent as: merges carry MRG, person messages no visit, the rest a visit. */
    private static String typical(String trigger, String version) {
        return switch (trigger) {
            case "A34", "A39", "A40" -> message(trigger, version, PID, PD1, "MRG|" + OTHER_NHS_NUMBER + "^^^NHS^NH");
            case "A28", "A31" -> message(trigger, version, PID, PD1, pv1());
            default -> message(trigger, version, PID, PD1, inpatientPv1());
        };
    }

    @ParameterizedTest(name = "ADT^{0} v{1}")
    @MethodSource("everyTriggerInEveryVersion")
    void everyTriggerParsesAndTranslatesInEveryVersion(String trigger, String version) {
        RecordChange change = translate(typical(trigger, version));

        assertThat(change.origin().messageId()).isEqualTo("C-" + trigger);
        assertThat(change.upserts().get(0).search()).isEqualTo(PATIENT_SEARCH);
        assertThat(patient(change).getNameFirstRep().getFamily()).isEqualTo("TESTPATIENT");
        assertThat(patient(change).getGeneralPractitionerFirstRep().getIdentifier().getValue()).isEqualTo("Y99999");
        boolean merge = List.of("A34", "A39", "A40").contains(trigger);
        boolean personOnly = merge || List.of("A28", "A31").contains(trigger);
        assertThat(change.merge()).as("merge").isEqualTo(merge
                ? Optional.of(new PatientMerge(PATIENT_SEARCH, "Patient?identifier=" + NhsNumber.SYSTEM + "|" + OTHER_NHS_NUMBER))
                : Optional.empty());
        if (personOnly) {
            assertThat(change.upserts()).extracting(u -> u.type().getSimpleName()).containsExactly("Patient", "Organization");
        } else {
            // Patient, practice, trust, ward, room, bed, Encounter
            assertThat(change.upserts()).hasSize(7).last().extracting(Upsert::search).isEqualTo(ENCOUNTER_SEARCH);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "ADT, A01, true", "ADT, A02, true", "ADT, A03, true", "adt, a04, true", "ADT, A05, true", "ADT, A06, true",
        "ADT, A07, true", "ADT, A08, true", "ADT, A11, true", "ADT, A12, true", "ADT, A13, true", "ADT, A28, true",
        "ADT, A31, true", "ADT, A34, true", "ADT, A39, true", "ADT, A40, true",
        "ADT, A09, false", "ADT, A17, false", "ORU, R01, false", "ADT, '', false",
    })
    void supportsTheAdtEventsMapped(String code, String trigger, boolean supported) {
        assertThat(translator.supports(new Hl7Header("C4", code, trigger, "TRUSTEPR", "RV5", "P"))).isEqualTo(supported);
    }

    @Test
    void originNamesSenderControlIdAndEventTimeWithOffset() {
        RecordChange change = translate(message("A08", "2.5.1", PID).replace("EVN|A08|20240315100000", "EVN|A08|20240715100000"));

        assertThat(change.origin()).isEqualTo(
                new RecordChange.Origin("trust-hl7", "TRUSTEPR^RV5", "C-A08", "2024-07-15T10:00:00+01:00"));
    }

    @Test
    void withoutEvnTheOriginTimeIsMsh7() {
        String noEvn = AdtMessages.msh("A28", "2.5.1", "C1") + "\r" + PID;

        assertThat(translate(noEvn).origin().sentAt()).isEqualTo("2024-03-15T09:30:00Z");
    }

    @Test
    void patientCarriesProfileIdentifiersEthnicCategoryAndVerificationStatus() {
        // PID-22 is the 22nd field and PID-32 the 32nd: PID-13 is the last one in the fixture PID.
        String pid = PID + "|" + "|".repeat(8) + "N^Black or Black British - African" + "|".repeat(10) + "01";

        Patient patient = patient(translate(message("A28", "2.5.1", pid)));

        assertThat(patient.getMeta().getProfile()).extracting(p -> p.getValue())
                .containsExactly("https://fhir.livingwell.example/StructureDefinition/LWPatient");
        assertThat(patient.getIdentifier()).extracting(Identifier::getValue).containsExactly(NHS_NUMBER, "RV5000001");
        CodeableConcept ethnicity = (CodeableConcept) patient.getExtensionByUrl(PidMapper.ETHNIC_CATEGORY_URL).getValue();
        assertThat(ethnicity.getCodingFirstRep().getSystem()).isEqualTo(PidMapper.ETHNIC_CATEGORY_SYSTEM);
        assertThat(ethnicity.getCodingFirstRep().getCode()).isEqualTo("N");
        CodeableConcept verification = (CodeableConcept) patient.getIdentifierFirstRep()
                .getExtensionByUrl(PidMapper.VERIFICATION_STATUS_URL).getValue();
        assertThat(verification.getCodingFirstRep().getSystem()).isEqualTo(PidMapper.VERIFICATION_STATUS_SYSTEM);
        assertThat(verification.getCodingFirstRep().getCode()).isEqualTo("01");
        assertThat(verification.getCodingFirstRep().getDisplay()).isEqualTo("Number present and verified");
    }

    @Test
    void unknownEthnicCodeIsLeftOut() {
        String pid = PID + "|" + "|".repeat(8) + "X9";

        assertThat(patient(translate(message("A28", "2.5.1", pid))).hasExtension(PidMapper.ETHNIC_CATEGORY_URL)).isFalse();
    }

    @Test
    void registeredPracticeIsAnOrganizationCreatedIfAbsentAndReferencedFromThePatient() {
        RecordChange change = translate(message("A28", "2.5.1", PID, PD1));

        Upsert<Organization> practice = upsert(change, Organization.class);
        assertThat(practice.search()).isEqualTo("Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|Y99999");
        Organization created = practice.update().apply(Optional.empty());
        assertThat(created.getName()).isEqualTo("TEST PRACTICE");
        assertThat(created.getMeta().getProfile().get(0).getValue())
                .isEqualTo("https://fhir.livingwell.example/StructureDefinition/LWOrganization");
        Organization stored = new Organization().setName("KEPT");
        assertThat(practice.update().apply(Optional.of(stored))).isSameAs(stored);
        Reference gp = patient(change).getGeneralPractitionerFirstRep();
        assertThat(gp.getReference()).isEqualTo(practice.reference());
        assertThat(gp.getIdentifier().getSystem()).isEqualTo(OdsOrganization.ODS_SYSTEM);
    }

    @Test
    void practiceOdsCodeFromXon3WhenXon10IsEmpty() {
        RecordChange change = translate(message("A28", "2.4", PID, "PD1|||OLD STYLE PRACTICE^^Y88888"));

        assertThat(upsert(change, Organization.class).search()).endsWith("|Y88888");
    }

    @Test
    void explicitNullsClearTheirElementsAndEmptyFieldsDoNot() {
        // PID-11 "", PID-13 "", PID-22 "", PID-29 ""; PD1-3 "".
        String pid = "PID|1||" + NHS_NUMBER + "^^^NHS^NH||TEST^PERSON||19850304|F|||\"\"||\"\"" + "|".repeat(9) + "\"\""
                + "|".repeat(7) + "\"\"";
        PatientContribution contribution = contribution(message("A31", "2.5.1", pid, "PD1|||\"\""));

        assertThat(contribution.cleared()).containsExactlyInAnyOrder(PatientElement.ADDRESS, PatientElement.TELECOM,
                PatientElement.ETHNIC_CATEGORY, PatientElement.DECEASED, PatientElement.GENERAL_PRACTITIONER);
        assertThat(contribution.patient().hasAddress()).isFalse();

        assertThat(contribution(message("A31", "2.5.1", PID, "PD1")).cleared()).isEmpty();
    }

    @Test
    void birthDateAndNameSentAsExplicitNullAreCleared() {
        String pid = "PID|1||" + NHS_NUMBER + "^^^NHS^NH||\"\"||\"\"|\"\"";

        assertThat(contribution(message("A31", "2.5.1", pid)).cleared())
                .containsExactlyInAnyOrder(PatientElement.NAME, PatientElement.BIRTH_DATE, PatientElement.GENDER);
    }

    /** What the Patient upsert hands to the merge rule. */
    private static PatientContribution contribution(String message) {
        return PatientPart.from(Hl7Fixtures.parse(message), Optional.empty()).contribution();
    }

    @Test
    void escapeSequencesAreDecoded() {
        String pid = "PID|1||" + NHS_NUMBER + "^^^NHS^NH||O\\S\\BRIEN\\T\\CO^ALEX\\F\\JO\\R\\X\\E\\||19850304";

        Patient patient = patient(translate(message("A28", "2.5.1", pid)));

        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("O^BRIEN&CO");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("ALEX|JO~X\\");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\r\n"})
    void segmentEndingsAndByteOrderMarkAreTolerated(String ending) {
        String text = "\uFEFF" + typical("A01", "2.4").replace("\r", ending) + ending;

        RecordChange change = translate(text);

        assertThat(change.upserts()).extracting(Upsert::search).contains(ENCOUNTER_SEARCH);
    }

    @ParameterizedTest
    @ValueSource(chars = {'#', '*', '!'})
    void anyFieldSeparatorTheMshDeclares(char separator) {
        String text = typical("A01", "2.5.1").replace('|', separator);

        Encounter encounter = AdtMessages.encounter(translate(text), null);

        assertThat(encounter.getLocationFirstRep().getLocation().getIdentifier().getValue()).isEqualTo("WARD1-R2-B3");
    }

    @Test
    void zSegmentsAndRepetitionsAreTolerated() {
        String pid = PID.replace("||TESTPATIENT^ALEX^JO^^MX^^L", "||TESTPATIENT^ALEX^JO^^MX^^L~TESTY^AL^^^^^N");

        RecordChange change = translate(message("A01", "2.5.1", pid, PD1, inpatientPv1(), "ZU1|1|ANYTHING^AT^ALL"));

        assertThat(patient(change).getName()).hasSize(2);
        assertThat(change.upserts()).extracting(Upsert::search).contains(ENCOUNTER_SEARCH);
    }

    @Test
    void dateOfBirthIsNeverShiftedByTheSendersOffset() {
        String pid = PID.replace("||19850304|", "||198503040030+0100|");

        assertThat(patient(translate(message("A28", "2.5.1", pid))).getBirthDateElement().getValueAsString())
                .isEqualTo("1985-03-04");
    }

    @Test
    void theSameMessageTwiceGivesTheSameSearchesAndContent() {
        String text = typical("A01", "2.5.1");
        RecordChange first = translate(text);
        RecordChange second = translate(text);

        assertThat(second.upserts()).extracting(Upsert::search).isEqualTo(first.upserts().stream().map(Upsert::search).toList());
        Encounter a = AdtMessages.encounter(first, null);
        Encounter b = AdtMessages.encounter(second, null);
        b.setSubject(a.getSubject()).setServiceProvider(a.getServiceProvider());
        b.getLocationFirstRep().setLocation(a.getLocationFirstRep().getLocation());
        assertThat(b.equalsDeep(a)).isTrue();
    }

    // ---- errors the lead answers AE at receipt

    @Test
    void nhsNumberFailingModulus11IsADataTypeErrorAtPid3() {
        assertThatThrownBy(() -> translate(message("A28", "2.5.1", PID.replace(NHS_NUMBER, "9990000019"))))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> {
                    assertThat(e.field()).isEqualTo("PID-3");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.DATA_TYPE_ERROR);
                    assertThat(e.problem()).isEqualTo("NHS number 9990000019 fails the modulus-11 check");
                });
    }

    @Test
    void noNhsNumberIsARequiredFieldMissingAtPid3() {
        assertThatThrownBy(() -> translate(message("A28", "2.5.1", PID.replace("^^^NHS^NH", "^^^RV5^PI"))))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> {
                    assertThat(e.field()).isEqualTo("PID-3");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.REQUIRED_FIELD_MISSING);
                });
    }

    @ParameterizedTest
    @CsvSource({"19850230, PID-7", "198513, PID-7", "04/03/1985, PID-7"})
    void impossibleBirthDateIsAnErrorAtPid7(String birthDate, String field) {
        assertThatThrownBy(() -> translate(message("A28", "2.5.1", PID.replace("19850304", birthDate))))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> assertThat(e.field()).isEqualTo(field));
    }

    @ParameterizedTest
    @CsvSource({"44, PV1-44", "45, PV1-45"})
    void impossibleVisitTimesAreErrorsAtTheirField(int field, String name) {
        String pv1 = pv1(2, "I", 19, "V0001", field, "20240231120000");

        assertThatThrownBy(() -> translate(message("A03", "2.5.1", PID, pv1)))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> assertThat(e.field()).isEqualTo(name));
    }

    @Test
    void impossibleEventTimeIsAnErrorAtEvn2() {
        assertThatThrownBy(() -> translate(message("A08", "2.5.1", PID).replace("20240315100000", "20241315100000")))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> assertThat(e.field()).isEqualTo("EVN-2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"A01", "A02", "A03", "A11", "A12", "A13"})
    void eventsThatActOnAVisitNeedPv1_19(String trigger) {
        assertThatThrownBy(() -> translate(message(trigger, "2.5.1", PID, pv1(2, "I", 3, "WARD1"))))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> {
                    assertThat(e.field()).isEqualTo("PV1-19");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.REQUIRED_FIELD_MISSING);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"A04", "A05", "A08", "A28", "A31"})
    void eventsWithoutAVisitNumberOrWithAnEmptyPv1GiveNoEncounter(String trigger) {
        for (String pv1 : List.of(pv1(), "PV1||||||", pv1(2, "O", 3, "CLINIC1"))) {
            RecordChange change = translate(message(trigger, "2.5.1", PID, pv1));

            assertThat(change.upserts()).extracting(u -> u.type().getSimpleName()).containsExactly("Patient");
        }
    }

    @Test
    void unsupportedTypeIsATranslationErrorNamingTheType() {
        String oru = String.join("\r",
                Hl7Fixtures.msh("ORU^R01^ORU_R01", "C5", "2.5.1"),
                "PID|1||9990000018^^^NHS^NH||TEST^PERSON",
                "OBR|1|||1234-5^TEST",
                "OBX|1|NM|1234-5^TEST||42");

        assertThatThrownBy(() -> translator.translate(Hl7Fixtures.parse(oru)))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> {
                    assertThat(e).hasMessage("MSH-9: message type ORU^R01 is not supported");
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_MESSAGE_TYPE);
                });
    }

    @Test
    void withoutPidIsATranslationError() {
        assertThatThrownBy(() -> translate(message("A04", "2.5.1", "PV1|1|O")))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessageStartingWith("PID: segment missing");
    }

    // ---- merges

    @ParameterizedTest
    @ValueSource(strings = {"A34", "A39", "A40"})
    void mergeNamesSurvivorAndRetiredByNhsNumberAndCarriesNoEncounter(String trigger) {
        RecordChange change = translate(message(trigger, "2.5.1", PID,
                "MRG|RV5000002^^^RV5^MR~" + OTHER_NHS_NUMBER + "^^^^NH", pv1(2, "I", 19, "V0001")));

        assertThat(change.merge()).contains(new PatientMerge(
                PATIENT_SEARCH, "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + OTHER_NHS_NUMBER));
        assertThat(change.upserts()).extracting(u -> u.type().getSimpleName()).containsExactly("Patient");
    }

    @ParameterizedTest
    @CsvSource({
        "MRG|RV5000002^^^RV5^MR, REQUIRED_FIELD_MISSING",
        "MRG|9990000019^^^NHS^NH, DATA_TYPE_ERROR",
        "MRG|9990000018^^^NHS^NH, DATA_TYPE_ERROR",
    })
    void mergeWithoutAValidOtherNhsNumberInMrg1IsAnError(String mrg, ErrorCode code) {
        assertThatThrownBy(() -> translate(message("A40", "2.5.1", PID, mrg)))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> {
                    assertThat(e.field()).isEqualTo("MRG-1");
                    assertThat(e.errorCode()).isEqualTo(code);
                });
    }

    @Test
    void mergeWithoutMrgIsAnError() {
        assertThatThrownBy(() -> translate(message("A40", "2.5.1", PID)))
                .isInstanceOfSatisfying(Hl7TranslationException.class, e -> assertThat(e.field()).isEqualTo("MRG"));
    }

    // ---- the trust, its locations, the Encounter

    @Test
    void visitGivesTrustWardRoomBedAndEncounterReferencingThem() {
        RecordChange change = translate(message("A01", "2.5.1", PID, inpatientPv1()));

        assertThat(change.upserts()).extracting(Upsert::search).containsExactly(
                PATIENT_SEARCH,
                "Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|RV5",
                "Location?identifier=https://fhir.livingwell.example/Id/rv5/location|WARD1",
                "Location?identifier=https://fhir.livingwell.example/Id/rv5/location|WARD1-R2",
                "Location?identifier=https://fhir.livingwell.example/Id/rv5/location|WARD1-R2-B3",
                ENCOUNTER_SEARCH);
        List<Upsert<?>> locations = change.upserts().stream().filter(u -> u.type() == Location.class).toList();
        Location bed = (Location) ((Upsert<Location>) locations.get(2)).update().apply(Optional.empty());
        assertThat(bed.getPhysicalType().getCodingFirstRep().getCode()).isEqualTo("bd");
        assertThat(bed.getPartOf().getReference()).isEqualTo(locations.get(1).reference());
        assertThat(bed.getManagingOrganization().getReference()).isEqualTo(upsert(change, Organization.class).reference());

        Encounter encounter = AdtMessages.encounter(change, null);
        assertThat(encounter.getMeta().getProfile().get(0).getValue())
                .isEqualTo("https://fhir.livingwell.example/StructureDefinition/LWEncounter");
        assertThat(encounter.getIdentifierFirstRep().getSystem())
                .isEqualTo("https://fhir.livingwell.example/Id/rv5/visit-number");
        assertThat(encounter.getSubject().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(encounter.getServiceProvider().getReference()).isEqualTo(upsert(change, Organization.class).reference());
        assertThat(encounter.getLocationFirstRep().getLocation().getReference()).isEqualTo(locations.get(2).reference());
        assertThat(encounter.getLocationFirstRep().getLocation().getDisplay()).isEqualTo("WARD1 R2 B3");
        assertThat(encounter.getParticipant()).extracting(p -> p.getTypeFirstRep().getCodingFirstRep().getCode(),
                        p -> p.getIndividual().getIdentifier().getValue(), p -> p.getIndividual().getDisplay())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ATND", "C1234567", "DR ANNE TESTDOC"),
                        org.assertj.core.groups.Tuple.tuple("ADM", "C7654321", "DR BOB ADMITDOC"));
    }

    @ParameterizedTest
    @CsvSource({"I, IMP", "O, AMB", "E, EMER", "P, PRENC", "R, UNK", "B, UNK", "'', UNK"})
    void patientClassFollowsTheV2ToFhirConceptMap(String pv1_2, String expected) {
        Encounter encounter = AdtMessages.encounter(translate(message("A01", "2.5.1", PID, pv1(2, pv1_2, 19, "V0001"))), null);

        assertThat(encounter.getClass_().getCode()).isEqualTo(expected);
    }

    @Test
    void a04WithAVisitNumberIsAnAttendanceInProgress() {
        Encounter encounter = AdtMessages.encounter(translate(message("A04", "2.5.1", PID, pv1(2, "O", 19, "V0001"))), null);

        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(encounter.getPeriod().getStartElement().getValueAsString()).isEqualTo("2024-03-15T10:00:00Z");
    }

    @Test
    void a05IsPlanned() {
        Encounter encounter = AdtMessages.encounter(translate(message("A05", "2.5.1", PID, pv1(2, "P", 19, "V0001"))), null);

        assertThat(encounter.getStatus()).isEqualTo(Encounter.EncounterStatus.PLANNED);
        assertThat(encounter.getClass_().getCode()).isEqualTo("PRENC");
    }
}
