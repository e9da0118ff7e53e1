package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.UUID;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.council.CouncilWatermark;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What the feeds and the partners rely on from the shared record, run against every database the
 * gateway supports (H2 and PostgreSQL subclasses): the trust ADT slice and a referral's life end to end
 * over a real MLLP socket and real HTTP, idempotent writes, and the standard FHIR REST features partners use.
 */
abstract class SharedRecordContract extends GatewayTestSupport {

    @Autowired
    MessageLog messageLog;

    @Autowired
    CouncilWatermark councilWatermark;

    static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";

    static String adtA04(String controlId, String nhsNumber, String family) {
        return String.join("\r",
                "MSH|^~\\&|TRUSTEPR|LWTRUST|LWGATEWAY|LWNA|20261123101500||ADT^A04^ADT_A01|" + controlId + "|P|2.5.1",
                "EVN|A04|20261123101500",
                "PID|1||" + nhsNumber + "^^^NHS^NH||" + family + "^Robin||19840412|F|||9 Example Street^^London^^SE11 5AA^GBR^H",
                "PV1|1|O");
    }

    /** A Patient that meets LWPatient: NHS number, name, birth date. */
    static Patient patient(String nhsNumber, String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NHS).setValue(nhsNumber);
        patient.addName().setFamily(family).addGiven("Sam");
        patient.setBirthDateElement(new DateType("1990-01-02"));
        return patient;
    }

    /** An Encounter that meets LWEncounter: visit number, subject, start. */
    static Encounter finishedEncounter(IIdType patientId) {
        Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.FINISHED)
                .setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"))
                .setSubject(new Reference(patientId.toUnqualifiedVersionless()));
        encounter.addIdentifier().setSystem("https://fhir.livingwell.example/Id/test-visit")
                .setValue(UUID.randomUUID().toString());
        encounter.getPeriod().setStartElement(new DateTimeType("2026-11-01T10:00:00Z"));
        return encounter;
    }

    List<Patient> patientsWithNhsNumber(String nhsNumber) {
        Bundle found = fhirClient().search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(NHS, nhsNumber))
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(e -> (Patient) e.getResource()).toList();
    }

    @Test
    void gpRegisterIsAppliedOnceAndAFullExtractEndsWhoItOmits() {
        new GpRegisterJourney(baseUrl(), fhirClient(), partner()).registerAppliedOnceAndAFullExtractEndsWhoItOmits();
    }

    @Test
    void aCouncilCldFileIsAppliedOnceAndReported() throws Exception {
        new CouncilFileJourney(baseUrl(), fhirClient(), partner(), gateway.dataDir()).aCldFileIsAppliedOnceAndReported();
    }

    @Test
    void theCouncilPollsWatermarkIsKept() {
        CouncilFileJourney.watermarkIsKept(councilWatermark);
    }

    @Test
    void adtA04OverMllpIsAcknowledgedAfterQueueingAndSendingItTwiceLeavesOnePatient() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        try (MllpClient trust = mllpClient()) {
            assertThat(trust.send(adtA04("E2E-1-" + nhsNumber, nhsNumber, "Firstsend"))).contains("MSA|AA|E2E-1-" + nhsNumber);
            await().atMost(Duration.ofSeconds(30)).until(() -> patientsWithNhsNumber(nhsNumber).size() == 1);

            assertThat(trust.send(adtA04("E2E-2-" + nhsNumber, nhsNumber, "Secondsend"))).contains("MSA|AA|E2E-2-" + nhsNumber);
            // The second message updates the same Patient: wait for its name, then count.
            await().atMost(Duration.ofSeconds(30)).until(() -> patientsWithNhsNumber(nhsNumber).stream()
                    .anyMatch(p -> "Secondsend".equals(p.getNameFirstRep().getFamily())));
        }
        assertThat(patientsWithNhsNumber(nhsNumber)).hasSize(1);
    }

    @Test
    void aReferralNewModifiedAcceptedAndCancelledOverMllpLandsInTheRecordElementByElement() throws Exception {
        try (MllpClient trust = mllpClient()) {
            new TrustReferralJourney(fhirClient(), trust, messageLog, TestNhsNumbers.next()).newModifiedAcceptedCancelled();
        }
    }

    @Test
    void aReferralModifiedBeforeItArrivesIsOneServiceRequest() throws Exception {
        try (MllpClient trust = mllpClient()) {
            new TrustReferralJourney(fhirClient(), trust, messageLog, TestNhsNumbers.next()).aModificationBeforeItsReferral();
        }
    }

    @Test
    void listenerAnswersGarbageWithoutFallingOverAndTakesTheNextMessage() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        try (MllpClient trust = mllpClient()) {
            String answer = trust.sendRaw("this is not HL7 at all".getBytes());
            assertThat(answer).doesNotContain("MSA|AA");
        }
        try (MllpClient trust = mllpClient()) {
            assertThat(trust.send(adtA04("AFTER-GARBAGE", nhsNumber, "Stillhere"))).contains("MSA|AA|AFTER-GARBAGE");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> patientsWithNhsNumber(nhsNumber).size() == 1);
    }

    /** A transaction with conditional creates keyed on business identifiers, sent twice. */
    @Test
    void oneNhsNumberIsOnePatientWhoeverWritesItAndHoweverManyRace() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        IGenericClient client = fhirClient();
        client.create().resource(patient(nhsNumber, "Unique")).execute();
        assertThat(statusOf(() -> client.create().resource(patient(nhsNumber, "Second")).execute())).isEqualTo(409);

        // Nor may an update give another Patient the number (a partner supplying a council person's NHS number, say).
        IIdType other = client.create().resource(patient(TestNhsNumbers.next(), "Other")).execute().getId().toUnqualifiedVersionless();
        Patient changed = patient(nhsNumber, "Other");
        changed.setId(other);
        assertThat(statusOf(() -> client.update().resource(changed).execute())).isEqualTo(409);
        assertThat(patientsWithNhsNumber(nhsNumber)).hasSize(1);

        String raced = TestNhsNumbers.next();
        ExecutorService writers = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                statuses.add(writers.submit(() -> {
                    start.await();
                    return statusOf(() -> client.create().resource(patient(raced, "Racer")).execute());
                }));
            }
            start.countDown();
            List<Integer> answers = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answers.add(status.get(60, TimeUnit.SECONDS));
            }
            assertThat(answers).filteredOn(status -> status == 201).hasSize(1);
            assertThat(answers).filteredOn(status -> status != 201).allMatch(status -> status == 409);
        } finally {
            writers.shutdownNow();
        }
        assertThat(patientsWithNhsNumber(raced)).hasSize(1);
    }

    /** The HTTP status a FHIR client call got: 201 when it created something. */
    private static int statusOf(Runnable call) {
        try {
            call.run();
            return 201;
        } catch (BaseServerResponseException refused) {
            return refused.getStatusCode();
        }
    }

    @Test
    void transactionWithConditionalCreatesIsIdempotent() {
        String nhsNumber = TestNhsNumbers.next();
        String odsCode = TestNhsNumbers.practice();
        IGenericClient client = fhirClient();

        Bundle first = client.transaction().withBundle(practiceAndPatient(odsCode, nhsNumber)).execute();
        Bundle second = client.transaction().withBundle(practiceAndPatient(odsCode, nhsNumber)).execute();

        assertThat(first.getEntry()).extracting(e -> e.getResponse().getStatus()).allMatch(s -> s.startsWith("201"));
        assertThat(second.getEntry()).extracting(e -> e.getResponse().getStatus()).allMatch(s -> s.startsWith("200"));
        List<Patient> patients = patientsWithNhsNumber(nhsNumber);
        assertThat(patients).hasSize(1);
        Bundle practices = client.search().forResource(Organization.class)
                .where(Organization.IDENTIFIER.exactly().systemAndCode(ODS, odsCode)).returnBundle(Bundle.class).execute();
        assertThat(practices.getEntry()).hasSize(1);
        assertThat(patients.get(0).getGeneralPractitionerFirstRep().getReferenceElement().getIdPart())
                .isEqualTo(practices.getEntryFirstRep().getResource().getIdElement().getIdPart());
    }

    static Bundle practiceAndPatient(String odsCode, String nhsNumber) {
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        Organization practice = new Organization().setName("Example Practice " + odsCode);
        practice.addIdentifier().setSystem(ODS).setValue(odsCode);
        bundle.addEntry().setFullUrl("urn:uuid:practice-" + odsCode).setResource(practice).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Organization").setIfNoneExist("identifier=" + ODS + "|" + odsCode);
        Patient patient = patient(nhsNumber, "Transaction");
        patient.addGeneralPractitioner(new Reference("urn:uuid:practice-" + odsCode)
                .setIdentifier(new Identifier().setSystem(ODS).setValue(odsCode)));
        bundle.addEntry().setFullUrl("urn:uuid:patient-" + nhsNumber).setResource(patient).getRequest()
                .setMethod(HTTPVerb.POST).setUrl("Patient").setIfNoneExist("identifier=" + NHS + "|" + nhsNumber);
        return bundle;
    }

    @Test
    void searchSupportsIncludeRevincludeAndCountPaging() {
        String nhsNumber = TestNhsNumbers.next();
        String odsCode = "P" + nhsNumber.substring(5);
        IGenericClient client = fhirClient();
        client.transaction().withBundle(practiceAndPatient(odsCode, nhsNumber)).execute();
        Patient patient = patientsWithNhsNumber(nhsNumber).get(0);
        for (int i = 0; i < 3; i++) {
            client.create().resource(finishedEncounter(patient.getIdElement())).execute();
        }

        Bundle withGp = client.search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(NHS, nhsNumber))
                .include(Patient.INCLUDE_GENERAL_PRACTITIONER)
                .revInclude(Encounter.INCLUDE_SUBJECT)
                .returnBundle(Bundle.class).execute();
        assertThat(withGp.getEntry()).extracting(e -> e.getResource().fhirType())
                .containsExactlyInAnyOrder("Patient", "Organization", "Encounter", "Encounter", "Encounter");

        Bundle page1 = client.search().forResource(Encounter.class)
                .where(Encounter.SUBJECT.hasId(patient.getIdElement().toUnqualifiedVersionless()))
                .count(2).returnBundle(Bundle.class).execute();
        assertThat(page1.getEntry()).hasSize(2);
        assertThat(page1.getLink(Bundle.LINK_NEXT)).isNotNull();
        Bundle page2 = client.loadPage().next(page1).execute();
        assertThat(page2.getEntry()).hasSize(1);
    }

    @Test
    void readVreadHistoryConditionalUpdateAndEverything() {
        String nhsNumber = TestNhsNumbers.next();
        IGenericClient client = fhirClient();
        Patient patient = patient(nhsNumber, "Versioned");

        MethodOutcome created = client.update().resource(patient)
                .conditionalByUrl("Patient?identifier=" + NHS + "|" + nhsNumber).execute();
        patient.getNameFirstRep().setFamily("Renamed");
        MethodOutcome updated = client.update().resource(patient)
                .conditionalByUrl("Patient?identifier=" + NHS + "|" + nhsNumber).execute();
        IIdType id = created.getId().toUnqualifiedVersionless();
        assertThat(updated.getId().getIdPart()).isEqualTo(id.getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        assertThat(client.read().resource(Patient.class).withId(id).execute().getNameFirstRep().getFamily()).isEqualTo("Renamed");
        assertThat(client.read().resource(Patient.class).withId(id.withVersion("1")).execute()
                .getNameFirstRep().getFamily()).isEqualTo("Versioned");
        Bundle history = client.history().onInstance(id).returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).hasSize(2);

        client.create().resource(finishedEncounter(id)).execute();
        Bundle everything = client.operation().onInstance(id).named("$everything")
                .withNoParameters(Parameters.class).returnResourceType(Bundle.class).useHttpGet().execute();
        assertThat(everything.getEntry()).extracting(e -> e.getResource().fhirType()).contains("Patient", "Encounter");
    }

    @Test
    void aSearchRepeatedAfterAWriteSeesTheWrite() {
        String nhsNumber = TestNhsNumbers.next();
        assertThat(patientsWithNhsNumber(nhsNumber)).isEmpty();
        fhirClient().create().resource(patient(nhsNumber, "Fresh")).execute();
        assertThat(patientsWithNhsNumber(nhsNumber)).hasSize(1);
    }

    @Test
    void batchBundleAppliesEachEntryOnItsOwn() {
        Bundle batch = new Bundle().setType(BundleType.BATCH);
        batch.addEntry().setResource(patient(TestNhsNumbers.next(), "Batched")).getRequest().setMethod(HTTPVerb.POST).setUrl("Patient");
        batch.addEntry().getRequest().setMethod(HTTPVerb.GET).setUrl("Patient/does-not-exist");

        Bundle response = fhirClient().transaction().withBundle(batch).execute();

        assertThat(response.getEntry().get(0).getResponse().getStatus()).startsWith("201");
        assertThat(response.getEntry().get(1).getResponse().getStatus()).startsWith("404");
    }
}
