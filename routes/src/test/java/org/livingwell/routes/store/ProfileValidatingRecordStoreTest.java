package org.livingwell.routes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.OperationOutcomeIssueComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.livingwell.profiles.LivingWellValidator;
import org.livingwell.routes.identity.NhsNumber;

class ProfileValidatingRecordStoreTest {

    private final InMemoryRecordStore recording = new InMemoryRecordStore();
    private final List<Bundle> applied = recording.applied();
    private final ProfileValidatingRecordStore store =
            new ProfileValidatingRecordStore(recording, ProfileFixtures.validator());

    /** A Patient that meets LWPatient: valid NHS number, a name, a birth date. */
    private static Patient patient(String nhsNumber) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("TESTPATIENT").addGiven("ALEX");
        patient.setBirthDateElement(new DateType("1985-03-04"));
        return patient;
    }

    private static Bundle transaction(Resource... resources) {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        for (Resource resource : resources) {
            bundle.addEntry().setResource(resource).getRequest().setMethod(HTTPVerb.POST).setUrl(resource.fhirType());
        }
        return bundle;
    }

    private OperationOutcome refusal(Bundle transaction) {
        RecordRejectedException refused = catchThrowableOfType(
                () -> store.apply(transaction), RecordRejectedException.class);
        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.operationOutcome()).isNotNull();
        return refused.operationOutcome();
    }

    private static String expression(OperationOutcomeIssueComponent issue) {
        return issue.getExpression().get(0).getValue();
    }

    @Test
    void aTransactionOpensOnlyOnceTheValidatorIsBuiltSoNoLockIsHeldWhileWaiting() throws Exception {
        CompletableFuture<LivingWellValidator> building = new CompletableFuture<>();
        ProfileValidatingRecordStore starting = new ProfileValidatingRecordStore(recording, building::join);
        AtomicBoolean builtWhenOpened = new AtomicBoolean();
        Thread writer = new Thread(() -> starting.inTransaction(() -> {
            builtWhenOpened.set(building.isDone());
            return starting.apply(transaction(patient("9990000018")));
        }));
        writer.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> writer.getState() == Thread.State.WAITING);

        assertThat(applied).isEmpty();
        building.complete(ProfileFixtures.validator());
        writer.join(Duration.ofSeconds(30).toMillis());

        assertThat(builtWhenOpened).isTrue();
        assertThat(applied).hasSize(1);
    }

    @Test
    void conformingTransactionReachesTheStoreAndItsResponseComesBack() {
        Bundle transaction = transaction(patient("9990000018"));

        assertThat(store.apply(transaction).getEntryFirstRep().getResponse().getLocation()).isEqualTo("Patient/1/_history/1");
        assertThat(applied).containsExactly(transaction);
    }

    @Test
    void warningsAndInformationDoNotStopATransaction() {
        // No narrative (dom-6 warning) and an identifier in no slice (information): both are advice, not errors.
        Patient patient = patient("9990000018");
        patient.addIdentifier().setSystem("https://fhir.livingwell.example/Id/trust-mrn").setValue("RJ1000001");
        assertThat(ProfileFixtures.validator().validateAgainstProfile(patient).getMessages()).isNotEmpty();

        store.apply(transaction(patient));

        assertThat(applied).hasSize(1);
    }

    @Test
    void patientWithoutBirthDateIsRefusedNamingTheElementAndTheProfileAndNothingIsApplied() {
        Patient noBirthDate = patient("9990000018").setBirthDateElement(null);

        OperationOutcome outcome = refusal(transaction(noBirthDate));

        assertThat(applied).isEmpty();
        assertThat(outcome.getIssue()).singleElement().satisfies(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
            assertThat(expression(issue)).isEqualTo("Bundle.entry[0].resource/*Patient*/");
            assertThat(issue.getDiagnostics())
                    .startsWith("entry 0 (Patient): Patient.birthDate: minimum required = 1, but only found 0")
                    .contains("https://fhir.livingwell.example/StructureDefinition/LWPatient");
            assertThat(issue.getExtensionString(ProfileValidatingRecordStore.MESSAGE_ID_EXTENSION))
                    .isEqualTo("Validation_VAL_Profile_Minimum");
        });
    }

    @Test
    void badNhsCheckDigitIsRefusedNamingTheIdentifierAndTheInvariant() {
        OperationOutcome outcome = refusal(transaction(patient("9990000019")));

        assertThat(applied).isEmpty();
        assertThat(outcome.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
            assertThat(expression(issue)).isEqualTo("Bundle.entry[0].resource/*Patient*/.identifier[0]");
            assertThat(issue.getDiagnostics()).startsWith("entry 0 (Patient): ").contains("lw-nhs-number-mod11");
        });
    }

    @Test
    void oneBadResourceStopsTheWholeTransactionAndOnlyItIsBlamed() {
        Patient good = patient("9990000018");
        Patient bad = patient("9990000026").setBirthDateElement(null);

        OperationOutcome outcome = refusal(transaction(good, bad));

        assertThat(applied).as("never half-written").isEmpty();
        assertThat(outcome.getIssue()).isNotEmpty()
                .allSatisfy(issue -> assertThat(expression(issue)).startsWith("Bundle.entry[1].resource/*Patient*/"));
    }

    @Test
    void everyErrorOfEveryEntryIsInOneOperationOutcomeAndTheMessageQuotesTheFirstFew() {
        Patient nothingRight = new Patient();
        nothingRight.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue("9990000019");
        Observation noStatusNoCode = new Observation();

        RecordRejectedException refused = catchThrowableOfType(
                () -> store.apply(transaction(nothingRight, noStatusNoCode)), RecordRejectedException.class);

        List<String> expressions = refused.operationOutcome().getIssue().stream()
                .map(ProfileValidatingRecordStoreTest::expression).toList();
        assertThat(expressions).contains("Bundle.entry[0].resource/*Patient*/.identifier[0]",
                "Bundle.entry[1].resource/*Observation*/");
        List<String> diagnostics = refused.operationOutcome().getIssue().stream()
                .map(OperationOutcomeIssueComponent::getDiagnostics).toList();
        assertThat(diagnostics)
                .anySatisfy(d -> assertThat(d).startsWith("entry 0 (Patient): Patient.name: minimum required = 1"))
                .anySatisfy(d -> assertThat(d).startsWith("entry 0 (Patient): Patient.birthDate: minimum required = 1"))
                .anySatisfy(d -> assertThat(d).startsWith("entry 1 (Observation): Observation.status: minimum required = 1"));
        int errors = refused.operationOutcome().getIssue().size();
        assertThat(refused.getMessage())
                .startsWith("does not conform to the Living Well profiles (" + errors + " errors): "
                        + "Bundle.entry[0].resource/*Patient*/")
                .endsWith("; and " + (errors - ProfileValidatingRecordStore.ISSUES_IN_MESSAGE) + " more");
        // Short enough for a dead-letter list however many errors there are: the OperationOutcome has the rest.
        assertThat(refused.getMessage()).hasSizeLessThan(
                ProfileValidatingRecordStore.ISSUES_IN_MESSAGE * (ProfileValidatingRecordStore.CHARACTERS_PER_ISSUE + 2) + 100);
        assertThat(applied).isEmpty();
    }

    @Test
    void aResourceWithAnIdIsNamedByTypeAndId() {
        Patient withId = patient("9990000018").setBirthDateElement(null);
        withId.setId("example-1");

        OperationOutcome outcome = refusal(transaction(withId));

        assertThat(expression(outcome.getIssueFirstRep())).isEqualTo("Bundle.entry[0].resource/*Patient/example-1*/");
    }

    @Test
    void entriesWithoutAResourceSuchAsDeletesPassThrough() {
        Bundle transaction = new Bundle().setType(BundleType.TRANSACTION);
        transaction.addEntry().getRequest().setMethod(HTTPVerb.DELETE).setUrl("Patient/example-1");

        store.apply(transaction);

        assertThat(applied).containsExactly(transaction);
    }

    @Test
    void theStoresOwnRefusalStillComesThrough() {
        InMemoryRecordStore refusing = new InMemoryRecordStore();
        refusing.reject("9990000018");

        assertThatThrownBy(() -> new ProfileValidatingRecordStore(refusing, ProfileFixtures.validator())
                        .apply(transaction(patient("9990000018"))))
                .isInstanceOf(RecordRejectedException.class)
                .hasMessage("HTTP 422: Patient failed profile validation");
    }
}
