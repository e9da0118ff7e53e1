package org.livingwell.profiles;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
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

    static List<Path> allExamples() {
        return Stream.concat(validExamples().stream(), invalidExamples().stream()).toList();
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

    @ParameterizedTest(name = "{0}")
    @MethodSource("allExamples")
    void saysExactlyWhatHapisOwnInstanceValidatorSaysCallAfterCall(Path example) {
        // The pooled validator replaces HAPI's per-call InstanceValidator; reuse must not change a single message.
        IBaseResource resource = PackageFiles.parse(FHIR, example);
        String profile = validator.profiles().profileFor(resource.fhirType()).orElseThrow();
        FhirValidator stock = stockHapiValidator();
        List<String> expected = all(stock.validateWithResult(resource));
        List<String> expectedAgainstProfile = all(stock.validateWithResult(resource, new ValidationOptions().addProfile(profile)));

        for (int call = 0; call < 3; call++) {
            assertThat(all(validator.validate(resource))).as("call %d", call).isEqualTo(expected);
            assertThat(all(validator.validateAgainstProfile(resource))).as("call %d", call).isEqualTo(expectedAgainstProfile);
        }
    }

    @Test
    void concurrentCallersEachGetTheirOwnAnswer() throws Exception {
        List<IBaseResource> resources = allExamples().stream().map(f -> PackageFiles.parse(FHIR, f)).toList();
        FhirValidator stock = stockHapiValidator();
        List<List<String>> expected = resources.stream().map(r -> all(stock.validateWithResult(r))).toList();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int caller = 0; caller < 4; caller++) {
                int offset = caller;
                done.add(callers.submit(() -> {
                    // Four callers sharing the pool: each answer must be its own resource's.
                    for (int i = 0; i < 300; i++) {
                        int index = (i + offset) % resources.size();
                        assertThat(all(validator.validate(resources.get(index)))).isEqualTo(expected.get(index));
                    }
                }));
            }
            for (Future<?> caller : done) {
                caller.get(5, TimeUnit.MINUTES);
            }
        } finally {
            callers.shutdownNow();
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

    /** HAPI's own FhirInstanceValidator (a new core validator per call) over the same validation support. */
    private static FhirValidator stockHapiValidator() {
        FhirValidator stock = FHIR.newValidator();
        stock.registerValidatorModule(new FhirInstanceValidator(validator.validationSupport()));
        return stock;
    }

    /** Every message, with everything that could differ between two validators. */
    private static List<String> all(ValidationResult result) {
        return result.getMessages().stream()
                .map(m -> describe(m) + " [" + m.getMessageId() + " " + m.getLocationLine() + ":" + m.getLocationCol() + "]")
                .toList();
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + " " + m.getMessage();
    }
}
