package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.identity.NhsNumber;

class PidMapperTest {

    private static Patient patient(String pidAfterPid3) {
        return PidMapper.map(Hl7Fixtures.pid("PID|1||" + pidAfterPid3));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "9990000018^^^NHS^NH",
        "9990000018^^^^NH",
        "9990000018^^^NHS",
        "999 000 0018^^^NHS^NH",
        "RJ1000001^^^RJ1^MR~9990000018^^^NHS^NH",
    })
    void findsTheNhsNumberInWhicheverRepetitionIsTypedNhOrAssignedByNhs(String pid3) {
        Patient patient = patient(pid3 + "||TEST^PERSON");

        assertThat(patient.getIdentifierFirstRep().getSystem()).isEqualTo(NhsNumber.SYSTEM);
        assertThat(patient.getIdentifierFirstRep().getValue()).isEqualTo("9990000018");
    }

    @Test
    void keepsTheTrustMrnAsSecondIdentifier() {
        Patient patient = patient("9990000018^^^NHS^NH~RJ1000001^^^RJ1^MR~AC123^^^RJ1^AN||TEST^PERSON");

        assertThat(patient.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactly(
                org.assertj.core.groups.Tuple.tuple(NhsNumber.SYSTEM, "9990000018"),
                org.assertj.core.groups.Tuple.tuple(PidMapper.TRUST_MRN_SYSTEM, "RJ1000001"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"RJ1000001^^^RJ1^MR", "9990000018^^^RJ1^MR", ""})
    void noNhsNumberIsATranslationErrorNamingTheField(String pid3) {
        assertThatThrownBy(() -> patient(pid3 + "||TEST^PERSON"))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessage("PID-3: no NHS number (identifier type NH or assigning authority NHS) in any repetition")
                .extracting(e -> ((Hl7TranslationException) e).field()).isEqualTo("PID-3");
    }

    @Test
    void invalidNhsNumberIsATranslationErrorSayingWhy() {
        assertThatThrownBy(() -> patient("9990000019^^^NHS^NH||TEST^PERSON"))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessage("PID-3: NHS number 9990000019 fails the modulus-11 check");
        assertThatThrownBy(() -> patient("99900018^^^NHS^NH||TEST^PERSON"))
                .hasMessage("PID-3: NHS number '99900018' is not 10 digits");
    }

    @Test
    void twoDifferentNhsNumbersAreATranslationError() {
        assertThatThrownBy(() -> patient("9990000018^^^NHS^NH~9990000026^^^NHS^NH||TEST^PERSON"))
                .hasMessageStartingWith("PID-3: different NHS numbers");
    }

    @Test
    void mapsNamesGenderBirthDateAddressAndTelecom() {
        Patient patient = patient("9990000018^^^NHS^NH||TESTPATIENT^ALEX^^^MX^^L~ALEX^TESTY^^^^^N||19850304|F|||"
                + "1 TEST STREET^^LONDON^^SE11 5AA^GBR^H||020 7946 0000^PRN^PH|020 7946 0001^WPN^PH");

        assertThat(patient.getName()).hasSize(2);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("TESTPATIENT");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1985-03-04");
        assertThat(patient.getAddressFirstRep().getPostalCode()).isEqualTo("SE11 5AA");
        assertThat(patient.getTelecom()).extracting(t -> t.getUse().toCode()).containsExactly("home", "work");
        assertThat(patient.hasDeceased()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"F, FEMALE", "M, MALE", "U, UNKNOWN", "O, OTHER", "A, OTHER"})
    void administrativeSexComesFromTheCodeMap(String pid8, AdministrativeGender gender) {
        assertThat(patient("9990000018^^^NHS^NH||TEST^PERSON|||" + pid8).getGender()).isEqualTo(gender);
    }

    @Test
    void birthDateKeepsYearOnlyPrecision() {
        assertThat(patient("9990000018^^^NHS^NH||TEST^PERSON||1985").getBirthDateElement().getValueAsString())
                .isEqualTo("1985");
    }

    @Test
    void malformedBirthDateIsATranslationError() {
        assertThatThrownBy(() -> patient("9990000018^^^NHS^NH||TEST^PERSON||04/03/1985"))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessageStartingWith("PID-7: ");
    }

    @Test
    void deathTimeBeatsDeathIndicator() {
        String beforeDeath = "9990000018^^^NHS^NH||TEST^PERSON||19300101|M" + "|".repeat(21);
        assertThat(patient(beforeDeath + "20240110083000|Y").getDeceasedDateTimeType().getValueAsString())
                .isEqualTo("2024-01-10T08:30:00Z");
        assertThat(patient(beforeDeath + "|Y").getDeceasedBooleanType().booleanValue()).isTrue();
        assertThat(patient(beforeDeath + "|N").getDeceasedBooleanType().booleanValue()).isFalse();
    }
}
