package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IOperationUntypedWithInputAndPartialOutput;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * The Living Well profiles as partners meet them: advertised in the CapabilityStatement, served as
 * conformance resources, enforced on every partner write (422 naming the element and rule), and
 * usable with {@code $validate}.
 */
class LivingWellProfilesIT extends GatewayTestSupport {

    private static final String PROFILES = "https://fhir.livingwell.example/StructureDefinition/";
    private static final String LW_PATIENT = PROFILES + "LWPatient";

    static String withWrongCheckDigit(String nhsNumber) {
        int check = nhsNumber.charAt(9) - '0';
        return nhsNumber.substring(0, 9) + (check + 1) % 10;
    }

    @Test
    void capabilityStatementNamesOurProfileForEachProfiledType() {
        CapabilityStatement capabilities = fhirClient().capabilities().ofType(CapabilityStatement.class).execute();
        CapabilityStatement.CapabilityStatementRestResourceComponent patient = capabilities.getRestFirstRep()
                .getResource().stream().filter(r -> r.getType().equals("Patient")).findFirst().orElseThrow();
        assertThat(patient.getSupportedProfile()).extracting(c -> c.getValue()).contains(LW_PATIENT);
    }

    @Test
    void ourStructureDefinitionsValueSetsAndCodeSystemsAreServed() {
        IGenericClient client = fhirClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.search().forResource(StructureDefinition.class)
                .where(StructureDefinition.URL.matches().value(LW_PATIENT)).returnBundle(Bundle.class).execute()
                .getEntry().size() == 1);
        StructureDefinition patientProfile = client.read().resource(StructureDefinition.class).withId("LWPatient").execute();
        assertThat(patientProfile.getSnapshot().getElement()).isNotEmpty();
        assertThat(client.read().resource(ValueSet.class).withId("lw-smi-diagnosis").execute().getUrl())
                .startsWith("https://fhir.livingwell.example/");
        assertThat(client.read().resource(CodeSystem.class).withId("lw-episode-type").execute().getConcept())
                .extracting(CodeSystem.ConceptDefinitionComponent::getCode).contains("smi-register");
    }

    @Test
    void partnerWriteBreakingTheNhsNumberRuleIsRefusedWith422NamingTheRule() {
        Patient patient = SharedRecordContract.patient(withWrongCheckDigit(TestNhsNumbers.next()), "Checkdigit");

        assertThatThrownBy(() -> fhirClient().create().resource(patient).execute())
                .isInstanceOfSatisfying(UnprocessableEntityException.class, refused -> {
                    OperationOutcome outcome = (OperationOutcome) refused.getOperationOutcome();
                    assertThat(outcome.getIssue()).anySatisfy(issue -> {
                        assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
                        assertThat(issue.getDiagnostics()).contains("lw-nhs-number-mod11");
                        assertThat(issue.getExpression()).anySatisfy(e -> assertThat(e.getValue()).contains("identifier"));
                    });
                });
    }

    @Test
    void partnerWriteWithoutABirthDateIsRefusedNamingTheElement() {
        Patient patient = SharedRecordContract.patient(TestNhsNumbers.next(), "Nobirthdate");
        patient.setBirthDate(null);

        assertThatThrownBy(() -> fhirClient().create().resource(patient).execute())
                .isInstanceOfSatisfying(UnprocessableEntityException.class, refused ->
                        assertThat(((OperationOutcome) refused.getOperationOutcome()).getIssue())
                                .anySatisfy(issue -> assertThat(issue.getDiagnostics() + issue.getExpression())
                                        .contains("birthDate")));
    }

    @Test
    void transactionWithOneInvalidResourceWritesNothing() {
        String nhsNumber = TestNhsNumbers.next();
        String odsCode = "Q" + nhsNumber.substring(5);
        Bundle transaction = SharedRecordContract.practiceAndPatient(odsCode, nhsNumber);
        ((Patient) transaction.getEntry().get(1).getResource()).setBirthDate(null);

        assertThatThrownBy(() -> fhirClient().transaction().withBundle(transaction).execute())
                .isInstanceOf(UnprocessableEntityException.class);

        Bundle practices = fhirClient().search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(SharedRecordContract.ODS, odsCode))
                .returnBundle(Bundle.class).execute();
        assertThat(practices.getEntry()).as("the valid Organization of the refused transaction").isEmpty();
    }

    @Test
    void validateOperationChecksPostedAndStoredResourcesAgainstOurProfile() throws Exception {
        IGenericClient client = fhirClient();
        await().atMost(Duration.ofSeconds(60)).until(() -> client.search().forResource(StructureDefinition.class)
                .where(StructureDefinition.URL.matches().value(LW_PATIENT)).returnBundle(Bundle.class).execute()
                .getEntry().size() == 1);

        // The resource posted as the body, the profile in the URL: the form HAPI's $validate reads.
        Patient broken = SharedRecordContract.patient(withWrongCheckDigit(TestNhsNumbers.next()), "Posted");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(authorized("/fhir/Patient/$validate?profile=" + LW_PATIENT)
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(fhirContext.newJsonParser().encodeResourceToString(broken)))
                .build(), HttpResponse.BodyHandlers.ofString());
        OperationOutcome posted = fhirContext.newJsonParser().parseResource(OperationOutcome.class, answer.body());
        assertThat(posted.getIssue()).anySatisfy(issue -> {
            assertThat(issue.getSeverity()).isEqualTo(IssueSeverity.ERROR);
            assertThat(issue.getDiagnostics()).contains("lw-nhs-number-mod11");
        });

        IIdType stored = client.create().resource(SharedRecordContract.patient(TestNhsNumbers.next(), "Stored"))
                .execute().getId().toUnqualifiedVersionless();
        Parameters storedIn = new Parameters();
        storedIn.addParameter().setName("profile").setValue(new StringType(LW_PATIENT));
        OperationOutcome storedOutcome = validate(client.operation().onInstance(stored).named("$validate")
                .withParameters(storedIn));
        assertThat(storedOutcome.getIssue()).noneMatch(issue -> issue.getSeverity() == IssueSeverity.ERROR);
    }

    @Autowired
    private JmsTemplate jms;

    @Test
    void trustMessageLackingABirthDateIsAcceptedThenDeadLetteredWithTheOperationOutcome() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        String controlId = "NO-DOB-" + nhsNumber;
        String withoutBirthDate = SharedRecordContract.adtA04(controlId, nhsNumber, "Undated").replace("||19840412|", "|||");
        try (MllpClient trust = mllpClient()) {
            assertThat(trust.send(withoutBirthDate)).contains("MSA|AA|" + controlId);
        }

        Message deadLetter = await().atMost(Duration.ofSeconds(60)).until(() -> jms.browseSelected(
                gateway.queues().deadLetter(), "Hl7ControlId = '" + controlId + "'",
                (session, browser) -> browser.getEnumeration().hasMoreElements()
                        ? (Message) browser.getEnumeration().nextElement() : null), found -> found != null);
        assertThat(deadLetter.getStringProperty("LwDeadLetterReason")).contains("birthDate");
        assertThat(deadLetter.getStringProperty("LwDeadLetterOperationOutcome"))
                .contains("\"resourceType\":\"OperationOutcome\"").contains("birthDate");
        assertThat(((TextMessage) deadLetter).getText()).as("the original message is kept").isEqualTo(withoutBirthDate);
        assertThat(fhirClient().search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(SharedRecordContract.NHS, nhsNumber))
                .returnBundle(Bundle.class).execute().getEntry()).isEmpty();
    }

    /** $validate answers 200 or 412 with an OperationOutcome either way; both are results here. */
    /** The outcome of a $validate call, whether the server answered 200 or refused with the outcome. */
    static OperationOutcome validate(IOperationUntypedWithInputAndPartialOutput<Parameters> call) {
        try {
            return call.returnResourceType(OperationOutcome.class).execute();
        } catch (BaseServerResponseException answered) {
            return (OperationOutcome) answered.getOperationOutcome();
        }
    }
}
