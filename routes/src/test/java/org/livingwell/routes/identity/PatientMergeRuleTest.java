package org.livingwell.routes.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.store.ProfileFixtures;

class PatientMergeRuleTest {

    private static final String NHS = "9990000018";
    private static final String COUNCIL = "https://fhir.livingwell.example/Id/council-person";
    private static final Instant MONDAY = Instant.parse("2026-11-23T09:00:00Z");
    private static final Instant TUESDAY = Instant.parse("2026-11-24T09:00:00Z");

    private static Patient patient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(NHS);
        patient.getMeta().addProfile("https://fhir.livingwell.example/StructureDefinition/LWPatient");
        return patient;
    }

    private static Patient trustA08(String family, String postcode) {
        Patient patient = patient();
        patient.addName().setFamily(family).addGiven("Robin");
        patient.setBirthDateElement(new DateType("1984-04-12"));
        patient.addAddress().setPostalCode(postcode);
        return patient;
    }

    private static Patient merge(Patient stored, Patient sent, Set<PatientElement> cleared, String feed, Instant time) {
        return PatientMergeRule.merge(Optional.ofNullable(stored).map(Patient::copy),
                new PatientContribution(sent, cleared, feed, time));
    }

    @Test
    void aNewPatientIsWhatTheFeedSentAndConformsToLwPatient() {
        Patient merged = merge(null, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", MONDAY);

        assertThat(merged.getNameFirstRep().getFamily()).isEqualTo("Testpatient");
        assertThat(ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(merged))).isEmpty();
    }

    @Test
    void identifiersAccumulateAndAbsentElementsKeepTheirValues() {
        Patient partnerWritten = trustA08("Testpatient", "SE11 5AA");
        partnerWritten.addIdentifier().setSystem(COUNCIL).setValue("C-123");
        partnerWritten.addTelecom().setValue("020 7946 0000");

        Patient update = patient();
        update.addAddress().setPostalCode("SW9 8AA");
        Patient merged = merge(partnerWritten, update, Set.of(), "trust-hl7", TUESDAY);

        assertThat(merged.getIdentifier()).extracting(i -> i.getSystem() + "|" + i.getValue())
                .containsExactly(NhsNumber.SYSTEM + "|" + NHS, COUNCIL + "|C-123");
        assertThat(merged.getAddressFirstRep().getPostalCode()).isEqualTo("SW9 8AA");
        assertThat(merged.getTelecomFirstRep().getValue()).isEqualTo("020 7946 0000");
        assertThat(merged.getNameFirstRep().getFamily()).isEqualTo("Testpatient");
    }

    @Test
    void onlyAnExplicitNullClears() {
        Patient stored = merge(null, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", MONDAY);

        Patient merged = merge(stored, patient(), Set.of(PatientElement.ADDRESS), "trust-hl7", TUESDAY);

        assertThat(merged.hasAddress()).isFalse();
        assertThat(merged.getNameFirstRep().getFamily()).isEqualTo("Testpatient");
    }

    @Test
    void aLateOlderMessageDoesNotOverwriteANewerValue() {
        Patient stored = merge(null, trustA08("Testpatient", "SW9 8AA"), Set.of(), "trust-hl7", TUESDAY);

        Patient merged = merge(stored, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", MONDAY);

        assertThat(merged.getAddressFirstRep().getPostalCode()).isEqualTo("SW9 8AA");
    }

    @Test
    void theGpFeedOwnsTheRegisteredGp() {
        Patient fromGp = trustA08("Testpatient", "SE11 5AA");
        fromGp.addGeneralPractitioner(new Reference("Organization/1"));
        Patient stored = merge(null, fromGp, Set.of(), PatientMergeRule.GP_FEED, MONDAY);

        Patient fromTrust = patient();
        fromTrust.addGeneralPractitioner(new Reference("Organization/2"));
        Patient merged = merge(stored, fromTrust, Set.of(), "trust-hl7", TUESDAY);
        assertThat(merged.getGeneralPractitionerFirstRep().getReference()).isEqualTo("Organization/1");

        Patient withoutGpValue = merge(null, trustA08("Testpatient", "SE11 5AA"), Set.of(), "council", MONDAY);
        assertThat(merge(withoutGpValue, fromTrust, Set.of(), "trust-hl7", TUESDAY)
                .getGeneralPractitionerFirstRep().getReference()).isEqualTo("Organization/2");
    }

    @Test
    void theSameValuesSaidAgainLaterChangeNothing() {
        Patient once = merge(null, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", MONDAY);
        Patient again = merge(once, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", TUESDAY);

        assertThat(again.equalsDeep(once)).isTrue();
    }

    @Test
    void theSameContributionTwiceChangesNothing() {
        Patient once = merge(null, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", MONDAY);
        Patient twice = merge(once, trustA08("Testpatient", "SE11 5AA"), Set.of(), "trust-hl7", MONDAY);

        assertThat(twice.equalsDeep(once)).isTrue();
    }
}
