package org.livingwell.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class LivingWellValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static LivingWellValidator validator;

    @BeforeAll
    static void buildOnce() {
        validator = new LivingWellValidator(FHIR);
    }

    static List<Path> validExamples() {
        return PackageFiles.json("examples/valid");
    }

    static List<Path> invalidExamples() {
        return PackageFiles.json("examples/invalid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validExamples")
    void validExamplePassesWithoutErrorsOrWarnings(Path example) {
        ValidationResult result = validator.validate(PackageFiles.parse(FHIR, example));

        // Stricter than "no errors": a warning on our own example is ours to fix.
        assertThat(atLeast(ResultSeverityEnum.WARNING, result)).as(example.getFileName().toString()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidExamples")
    void invalidExampleFailsWithTheExpectedMessage(Path example) throws IOException {
        Path expectedFile = example.resolveSibling(example.getFileName().toString().replace(".json", ".expected"));
        List<String> expected = Files.readAllLines(expectedFile).stream().filter(line -> !line.isBlank()).toList();
        assertThat(expected).as("fragments in " + expectedFile.getFileName()).isNotEmpty();

        ValidationResult result = validator.validate(PackageFiles.parse(FHIR, example));

        assertThat(result.isSuccessful()).as(example.getFileName().toString()).isFalse();
        List<String> errors = atLeast(ResultSeverityEnum.ERROR, result);
        assertThat(expected).allSatisfy(fragment -> assertThat(errors).anySatisfy(error -> assertThat(error).contains(fragment)));
    }

    @Test
    void ourProfileIsEnforcedOnRequestEvenWithoutMetaProfile() {
        Patient noBirthDate = new Patient();
        noBirthDate.addName().setFamily("Example");

        assertThat(validator.validate(noBirthDate).isSuccessful()).isTrue();
        ValidationResult againstProfile = validator.validateAgainstProfile(noBirthDate);
        assertThat(againstProfile.isSuccessful()).isFalse();
        assertThat(atLeast(ResultSeverityEnum.ERROR, againstProfile)).anySatisfy(e -> assertThat(e).contains("Patient.birthDate"));
        assertThat(noBirthDate.getMeta().hasProfile()).as("the resource is left as it was").isFalse();
    }

    @Test
    void aTypeWeDoNotProfileIsValidatedAgainstCoreFhir() {
        Observation observation = new Observation();

        ValidationResult result = validator.validateAgainstProfile(observation);

        assertThat(atLeast(ResultSeverityEnum.ERROR, result))
                .anySatisfy(e -> assertThat(e).contains("Observation.status"))
                .anySatisfy(e -> assertThat(e).contains("Observation.code"));
    }

    @Test
    void everySmiDiagnosisPassesOfflineWithoutAnUnknownCodeSystemWarning() {
        ValueSet smi = (ValueSet) validator.conformanceResources().stream()
                .filter(r -> r.getIdElement().getIdPart().equals("lw-smi-diagnosis")).findFirst().orElseThrow();
        var concepts = smi.getCompose().getIncludeFirstRep().getConcept();
        assertThat(concepts).hasSizeGreaterThan(10);

        for (var concept : concepts) {
            Condition condition = new Condition();
            condition.setClinicalStatus(new CodeableConcept().addCoding(
                    new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/condition-clinical", "active", null)));
            condition.getCode().addCoding().setSystem("http://snomed.info/sct").setCode(concept.getCode()).setDisplay(concept.getDisplay());
            condition.setSubject(new Reference("Patient/example-patient"));

            ValidationResult result = validator.validateAgainstProfile(condition);

            // dom-6 (no narrative) is the only warning a bare, built-in-code Condition earns.
            assertThat(atLeast(ResultSeverityEnum.WARNING, result)).as(concept.getCode())
                    .allSatisfy(m -> assertThat(m).contains("dom-6"));
        }
    }

    @Test
    void warmUpValidatesTheExamples() {
        assertThat(validator.warmUp()).isPositive();
    }

    private static List<String> atLeast(ResultSeverityEnum severity, ValidationResult result) {
        return result.getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= severity.ordinal())
                .map(LivingWellValidatorTest::describe)
                .toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage();
    }
}
