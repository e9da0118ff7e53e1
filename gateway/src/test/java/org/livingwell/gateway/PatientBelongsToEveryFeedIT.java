package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The merge rule end to end: a Patient a partner wrote (with a council identifier and a phone number) is
 * updated by trust A08s without losing what the trust does not send; an older A08 arriving late does not
 * overwrite a newer address; only HL7's explicit null clears.
 */
class PatientBelongsToEveryFeedIT extends GatewayTestSupport {

    private static final String COUNCIL = "https://fhir.livingwell.example/Id/lambeth-council-person";

    @Autowired
    private MessageLog messageLog;

    @Test
    void trustUpdatesKeepWhatOtherFeedsWroteAndOlderNewsLosesToNewer() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        Patient partnerWritten = SharedRecordContract.patient(nhsNumber, "Partner");
        partnerWritten.addIdentifier().setSystem(COUNCIL).setValue("LBL-" + nhsNumber);
        partnerWritten.addTelecom().setSystem(org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem.PHONE).setValue("020 7946 0999");
        fhirClient().create().resource(partnerWritten).execute();

        try (MllpClient trust = mllpClient()) {
            assertThat(trust.send(a08("MR-1-" + nhsNumber, nhsNumber, "20261124100000", "SW9 8AA"))).contains("MSA|AA");
            awaitApplied("MR-1-" + nhsNumber);
            Patient afterA08 = patient(nhsNumber);
            assertThat(afterA08.getIdentifier()).extracting(identifier -> identifier.getSystem())
                    .contains(NhsNumber.SYSTEM, COUNCIL);
            assertThat(afterA08.getTelecom()).extracting(contact -> contact.getValue()).contains("020 7946 0999");
            assertThat(afterA08.getAddressFirstRep().getPostalCode()).isEqualTo("SW9 8AA");

            // An A08 from the morning before, delivered late: the newer address stays.
            assertThat(trust.send(a08("MR-2-" + nhsNumber, nhsNumber, "20261123090000", "SE11 5AA"))).contains("MSA|AA");
            awaitApplied("MR-2-" + nhsNumber);
            assertThat(patient(nhsNumber).getAddressFirstRep().getPostalCode()).isEqualTo("SW9 8AA");

            // "" is HL7's explicit null: the address is cleared, the rest stays.
            assertThat(trust.send(a08("MR-3-" + nhsNumber, nhsNumber, "20261124110000", "\"\""))).contains("MSA|AA");
            awaitApplied("MR-3-" + nhsNumber);
            Patient cleared = patient(nhsNumber);
            assertThat(cleared.hasAddress()).isFalse();
            assertThat(cleared.getIdentifier()).extracting(identifier -> identifier.getSystem()).contains(COUNCIL);
        }
    }

    private static String a08(String controlId, String nhsNumber, String eventTime, String postcodeOrNull) {
        String address = postcodeOrNull.equals("\"\"") ? "\"\"" : "1 New Road^^London^^" + postcodeOrNull + "^GBR^H";
        return String.join("\r",
                "MSH|^~\\&|TRUSTEPR|RV5|LWGATEWAY|LWNA|" + eventTime + "||ADT^A08^ADT_A01|" + controlId + "|P|2.5.1",
                "EVN|A08|" + eventTime,
                "PID|1||" + nhsNumber + "^^^NHS^NH||Partner^Sam||19900102|F|||" + address,
                "PV1|1|O");
    }

    private void awaitApplied(String controlId) {
        MessageLog.Key key = new MessageLog.Key("trust-hl7", "TRUSTEPR^RV5", controlId);
        await().atMost(Duration.ofSeconds(30)).until(() -> messageLog.find(key)
                .filter(entry -> entry.status() == MessageLog.Status.APPLIED).isPresent());
    }

    private Patient patient(String nhsNumber) {
        Bundle found = fhirClient().search().byUrl("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber)
                .returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).hasSize(1);
        return (Patient) found.getEntryFirstRep().getResource();
    }
}
