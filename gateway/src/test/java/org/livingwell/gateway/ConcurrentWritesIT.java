package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One NHS number is one Patient and one ODS code one Organization, also when many writers create them at
 * the same moment: the database's uniqueness of conditional creates decides, and the losers re-read and merge.
 */
class ConcurrentWritesIT extends GatewayTestSupport {

    @Autowired
    private RecordWriter writer;

    @Autowired
    private MessageLog messageLog;

    @Test
    void manyWritersCreatingOneNewPatientAndPracticeAtOnceLeaveOneOfEach() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        String odsCode = TestNhsNumbers.practice();
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int writerNumber = i;
                done.add(pool.submit((Callable<Object>) () -> writer.write(change(nhsNumber, odsCode, writerNumber))));
            }
            for (Future<?> each : done) {
                each.get(); // none may fail: conflicts are retried, not reported
            }
        } finally {
            pool.shutdown();
        }

        assertThat(search(Patient.class, "Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber)).hasSize(1);
        assertThat(search(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|" + odsCode)).hasSize(1);
    }

    @Test
    void manyParallelMessagesForOneNewPatientLeaveOnePatientAndOneGp() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        String odsCode = "G" + nhsNumber.substring(5);
        int senders = 16;
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            List<Future<String>> acks = new ArrayList<>();
            for (int i = 0; i < senders; i++) {
                String controlId = "PAR-" + nhsNumber + "-" + i;
                acks.add(pool.submit(() -> {
                    try (MllpClient trust = mllpClient()) {
                        return trust.send(adtA28(controlId, nhsNumber, odsCode));
                    }
                }));
            }
            for (Future<String> ack : acks) {
                assertThat(ack.get()).contains("MSA|AA");
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < senders; i++) {
            MessageLog.Key key = new MessageLog.Key("trust-hl7", "TRUSTEPR^RV5", "PAR-" + nhsNumber + "-" + i);
            await().atMost(Duration.ofSeconds(60)).until(() -> messageLog.find(key)
                    .filter(entry -> entry.status() == MessageLog.Status.APPLIED).isPresent());
        }

        assertThat(search(Patient.class, "Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber)).hasSize(1);
        assertThat(search(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|" + odsCode)).hasSize(1);
    }

    static String adtA28(String controlId, String nhsNumber, String gpOdsCode) {
        return String.join("\r",
                "MSH|^~\\&|TRUSTEPR|RV5|LWGATEWAY|LWNA|20261123101500||ADT^A28^ADT_A05|" + controlId + "|P|2.5.1",
                "EVN|A28|20261123101500",
                "PID|1||" + nhsNumber + "^^^NHS^NH||Parallel^Robin||19840412|F|||9 Example Street^^London^^SE11 5AA^GBR^H",
                "PD1|||Example Surgery^^^^^^^^^" + gpOdsCode);
    }

    private static RecordChange change(String nhsNumber, String odsCode, int writerNumber) {
        Organization practice = new Organization().setName("Example Practice");
        practice.addIdentifier().setSystem(SharedRecordContract.ODS).setValue(odsCode);
        Upsert<Organization> gp = Upsert.createIfAbsent(practice,
                Upsert.byIdentifier("Organization", SharedRecordContract.ODS, odsCode));
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        patient.addName().setFamily("Concurrent").addGiven("Writer" + writerNumber);
        patient.setBirthDateElement(new DateType("1990-01-02"));
        patient.addGeneralPractitioner(new Reference(gp.reference())
                .setIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem(SharedRecordContract.ODS).setValue(odsCode)));
        Upsert<Patient> person = Upsert.of(Patient.class, Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, nhsNumber),
                stored -> PatientMergeRule.merge(stored, new PatientContribution(patient, Set.of(), "test", null)));
        return new RecordChange(new RecordChange.Origin("test", "CONCURRENCY", "W" + writerNumber + "-" + nhsNumber, null),
                List.of(gp, person));
    }

    private <R extends org.hl7.fhir.r4.model.Resource> List<R> search(Class<R> type, String url) {
        Bundle found = fhirClient().search().byUrl(url).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(entry -> type.cast(entry.getResource())).toList();
    }
}
