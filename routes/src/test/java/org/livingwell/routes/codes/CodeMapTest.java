package org.livingwell.routes.codes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Function;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingwell.routes.codes.CodeMap;

class CodeMapTest {

    static Stream<Arguments> codeMaps() {
        return Stream.of(
                Arguments.of("v2-0001-to-administrative-gender", (Function<String, ?>) AdministrativeGender::fromCode),
                Arguments.of("v2-0200-to-name-use", (Function<String, ?>) HumanName.NameUse::fromCode),
                Arguments.of("v2-0190-to-address-use", (Function<String, ?>) Address.AddressUse::fromCode),
                Arguments.of("v2-0190-to-address-type", (Function<String, ?>) Address.AddressType::fromCode),
                Arguments.of("v2-0201-to-contact-point-use", (Function<String, ?>) ContactPoint.ContactPointUse::fromCode),
                Arguments.of("v2-0202-to-contact-point-system", (Function<String, ?>) ContactPoint.ContactPointSystem::fromCode),
                Arguments.of("v2-0004-to-encounter-class", oneOf(
                        "AMB", "EMER", "FLD", "HH", "IMP", "ACUTE", "NONAC", "OBSENC", "PRENC", "SS", "VR")),
                Arguments.of("v2-0112-to-discharge-disposition", oneOf(
                        "home", "alt-home", "other-hcf", "hosp", "long", "aadvice", "exp", "psy", "rehab", "snf", "oth")),
                Arguments.of("v2-0280-to-request-priority", (Function<String, ?>) ServiceRequest.ServiceRequestPriority::fromCode),
                Arguments.of("v2-0283-to-request-status", (Function<String, ?>) ServiceRequest.ServiceRequestStatus::fromCode));
    }

    /** A code system HAPI has no enum for: its codes as the R4 specification lists them (v3 ActEncounterCode, discharge-disposition). */
    private static Function<String, ?> oneOf(String... codes) {
        return code -> {
            if (!java.util.Set.of(codes).contains(code)) {
                throw new IllegalArgumentException("not a code: " + code);
            }
            return code;
        };
    }

    @ParameterizedTest
    @MethodSource("codeMaps")
    void everyTargetIsACodeInItsFhirCodeSystem(String name, Function<String, ?> fhirCode) {
        CodeMap map = CodeMap.load(name);

        assertThat(map.entries()).isNotEmpty();
        map.entries().forEach((v2, fhir) ->
                assertThatCode(() -> fhirCode.apply(fhir)).as("%s: %s=%s", name, v2, fhir).doesNotThrowAnyException());
    }

    @ParameterizedTest
    @CsvSource({"F, female", "M, male", "U, unknown", "O, other", "f, female"})
    void administrativeSexMapsToGender(String v2, String fhir) {
        assertThat(CodeMap.load("v2-0001-to-administrative-gender").lookup(v2)).contains(fhir);
    }

    @Test
    void aCodeIsSpelledAsTheTableSpellsItWhateverCaseItWasSentIn() {
        CodeMap referralTypes = CodeMap.load("v2-0281-to-display");

        assertThat(referralTypes.code("PSY")).contains("Psy");
        assertThat(referralTypes.lookup("psy")).contains("Psychiatric");
        assertThat(referralTypes.code("CMHT")).isEmpty();
    }

    @Test
    void unknownCodesMapToNothing() {
        CodeMap sex = CodeMap.load("v2-0001-to-administrative-gender");

        assertThat(sex.lookup("X")).isEmpty();
        assertThat(sex.lookup("")).isEmpty();
        assertThat(sex.lookup(null)).isEmpty();
    }

    @Test
    void missingMapFailsLoudly() {
        assertThatThrownBy(() -> CodeMap.load("no-such-map")).hasMessageContaining("/code-maps/no-such-map.properties");
    }
}
