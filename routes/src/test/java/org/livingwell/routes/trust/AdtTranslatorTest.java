package org.livingwell.routes.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleEntryComponent;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;

class AdtTranslatorTest {

    private static final String CONDITIONAL_URL = "Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018";

    private final AdtTranslator translator = new AdtTranslator();

    @Test
    void a04BecomesOneConditionalPutOfThePatientKeyedOnNhsNumber() {
        Bundle bundle = translator.translate(Hl7Fixtures.parse(Hl7Fixtures.adtA04("C1")));

        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.TRANSACTION);
        assertThat(bundle.getEntry()).hasSize(1);
        BundleEntryComponent entry = bundle.getEntryFirstRep();
        assertThat(entry.getRequest().getMethod()).isEqualTo(HTTPVerb.PUT);
        assertThat(entry.getRequest().getUrl()).isEqualTo(CONDITIONAL_URL);
        assertThat(entry.getFullUrl()).startsWith("urn:uuid:");
        Patient patient = (Patient) entry.getResource();
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("TESTPATIENT");
        assertThat(patient.getIdentifier()).hasSize(2);
    }

    @Test
    void theSameMessageTwiceTargetsTheSamePatientWithTheSameContent() {
        String message = Hl7Fixtures.adtA04("C2");
        FhirContext fhir = FhirContext.forR4Cached();

        BundleEntryComponent first = translator.translate(Hl7Fixtures.parse(message)).getEntryFirstRep();
        BundleEntryComponent second = translator.translate(Hl7Fixtures.parse(message)).getEntryFirstRep();

        assertThat(second.getRequest().getUrl()).isEqualTo(first.getRequest().getUrl());
        assertThat(fhir.newJsonParser().encodeResourceToString(second.getResource()))
                .isEqualTo(fhir.newJsonParser().encodeResourceToString(first.getResource()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.8"})
    void a04InAnyVersionTheTrustMightSendTranslatesTheSame(String version) {
        String message = Hl7Fixtures.adtA04("C3").replace("ADT^A04^ADT_A01|C3|P|2.5.1", "ADT^A04|C3|P|" + version);

        Bundle bundle = translator.translate(Hl7Fixtures.parse(message));

        assertThat(bundle.getEntryFirstRep().getRequest().getUrl()).isEqualTo(CONDITIONAL_URL);
    }

    @ParameterizedTest
    @CsvSource({
        "ADT, A04, true",
        "adt, a04, true",
        "ADT, A08, false",
        "ADT, A01, false",
        "ORU, R01, false",
        "ADT, '', false",
    })
    void supportsOnlyTheTriggerEventsMappedSoFar(String code, String trigger, boolean supported) {
        assertThat(translator.supports(new Hl7Header("C4", code, trigger))).isEqualTo(supported);
    }

    @Test
    void unsupportedTypeIsATranslationErrorNamingTheType() {
        String oru = String.join("\r",
                Hl7Fixtures.msh("ORU^R01^ORU_R01", "C5", "2.5.1"),
                "PID|1||9990000018^^^NHS^NH||TEST^PERSON",
                "OBR|1|||1234-5^TEST",
                "OBX|1|NM|1234-5^TEST||42");

        assertThatThrownBy(() -> translator.translate(Hl7Fixtures.parse(oru)))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessage("MSH-9: message type ORU^R01 is not supported");
    }

    @Test
    void a04WithoutValidNhsNumberIsATranslationError() {
        assertThatThrownBy(() -> translator.translate(Hl7Fixtures.parse(Hl7Fixtures.adtA04("C6", "9990000019^^^NHS^NH"))))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessage("PID-3: NHS number 9990000019 fails the modulus-11 check");
    }

    @Test
    void a04WithoutPidIsATranslationError() {
        String noPid = Hl7Fixtures.msh("ADT^A04^ADT_A01", "C7", "2.5.1") + "\rEVN|A04|20240315093000";

        assertThatThrownBy(() -> translator.translate(Hl7Fixtures.parse(noPid)))
                .isInstanceOf(Hl7TranslationException.class)
                .hasMessageStartingWith("PID: segment missing");
    }
}
