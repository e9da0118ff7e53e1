package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Encounter.EncounterLocationStatus;
import org.hl7.fhir.r4.model.Encounter.EncounterStatus;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.livingwell.gateway.fhir.H2IdLookupRewrite;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.trust.MllpClient;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * One patient's journey through the trust, over a real MLLP socket into the real record, read back through
 * /fhir: registration, admission, transfer, update, discharge, cancelled discharge, cancelled admission, and
 * a merge into another record of the same person. Every mapped element is checked where it lands.
 */
class TrustAdtJourneyIT extends GatewayTestSupport {

    private static final String VISITS = "https://fhir.livingwell.example/Id/rv5/visit-number";
    private static final String LOCATIONS = "https://fhir.livingwell.example/Id/rv5/location";

    @Autowired
    private MessageLog messageLog;

    @Autowired
    private H2IdLookupRewrite h2IdLookupRewrite;

    private MllpClient trust;
    private String run;

    @Test
    void aJourneyFromRegistrationToMergeLandsInTheRecordElementByElement() throws Exception {
        String patient = TestNhsNumbers.next();
        String survivor = TestNhsNumbers.next();
        String practice = "G" + patient.substring(5);
        run = patient;
        String outpatientVisit = "OP-" + patient;
        String inpatientVisit = "IP-" + patient;
        try (MllpClient client = mllpClient()) {
            trust = client;

            send("A04", "20261119100000", pid(patient, "Journey^Robin^Jo||19840412|F|||9 Example Street^^London^^SE11 5AA^GBR^H"),
                    "PD1|||Example Surgery^^^^^^^^^" + practice,
                    pv1("O", "CLINIC1", "", outpatientVisit, "", "20261119100000", ""));
            Encounter attendance = encounter(outpatientVisit);
            assertThat(attendance.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
            assertThat(attendance.getClass_().getCode()).isEqualTo("AMB");
            Patient registered = patient(patient);
            assertThat(registered.getMeta().getProfile()).extracting(p -> p.getValue())
                    .contains("https://fhir.livingwell.example/StructureDefinition/LWPatient");
            assertThat(registered.getNameFirstRep().getFamily()).isEqualTo("Journey");
            assertThat(registered.getNameFirstRep().getGiven()).extracting(g -> g.getValue()).containsExactly("Robin", "Jo");
            assertThat(registered.getBirthDateElement().getValueAsString()).isEqualTo("1984-04-12");
            assertThat(registered.getGender().toCode()).isEqualTo("female");
            Organization gp = one(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|" + practice);
            assertThat(gp.getName()).isEqualTo("Example Surgery");
            assertThat(registered.getGeneralPractitionerFirstRep().getReferenceElement().getIdPart())
                    .isEqualTo(gp.getIdElement().getIdPart());

            send("A01", "20261120090000", pid(patient, "Journey^Robin^Jo||19840412|F"),
                    pv1("I", "WARD1^R1^B1", "C1234^CONSULTANT^ANNA", inpatientVisit, "", "20261120090000", ""));
            Encounter admitted = encounter(inpatientVisit);
            assertThat(admitted.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
            assertThat(admitted.getClass_().getCode()).isEqualTo("IMP");
            assertThat(admitted.getPeriod().getStartElement().getValueAsString()).startsWith("2026-11-20T09:00:00");
            assertThat(admitted.getParticipantFirstRep().getIndividual().getDisplay()).contains("ANNA");
            assertThat(admitted.getSubject().getReferenceElement().getIdPart()).isEqualTo(registered.getIdElement().getIdPart());
            Organization theTrust = one(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|RV5");
            assertThat(admitted.getServiceProvider().getReferenceElement().getIdPart()).isEqualTo(theTrust.getIdElement().getIdPart());
            assertThat(locationCodes(admitted)).containsExactly("WARD1-R1-B1:active");

            send("A02", "20261121100000", pid(patient, "Journey^Robin^Jo||19840412|F"),
                    pv1("I", "WARD2^R3^B4", "C1234^CONSULTANT^ANNA", inpatientVisit, "", "", "", "WARD1^R1^B1"));
            assertThat(locationCodes(encounter(inpatientVisit))).containsExactly("WARD1-R1-B1:completed", "WARD2-R3-B4:active");

            send("A08", "20261121120000",
                    pid(patient, "Journey^Robin^Jo||19840412|F|||1 New Road^^London^^SW9 8AA^GBR^H|||||||||||A||||||||||01"),
                    pv1("I", "", "", inpatientVisit, "", "", ""));
            Patient updated = patient(patient);
            assertThat(updated.getAddressFirstRep().getPostalCode()).isEqualTo("SW9 8AA");
            CodeableConcept ethnicity = (CodeableConcept) updated
                    .getExtensionByUrl("https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory").getValue();
            assertThat(ethnicity.getCodingFirstRep().getCode()).isEqualTo("A");
            assertThat(updated.getIdentifier().stream().filter(i -> NhsNumber.SYSTEM.equals(i.getSystem())).findFirst().orElseThrow()
                    .getExtensionByUrl("https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus"))
                    .isNotNull();
            assertThat(updated.getGeneralPractitionerFirstRep().getReferenceElement().getIdPart())
                    .as("the A08 carried no PD1: the GP stays").isEqualTo(gp.getIdElement().getIdPart());

            send("A03", "20261122150000", pid(patient, "Journey^Robin^Jo||19840412|F"),
                    pv1("I", "WARD2^R3^B4", "", inpatientVisit, "01", "", "20261122150000"));
            Encounter discharged = encounter(inpatientVisit);
            assertThat(discharged.getStatus()).isEqualTo(EncounterStatus.FINISHED);
            assertThat(discharged.getPeriod().getEndElement().getValueAsString()).startsWith("2026-11-22T15:00:00");
            assertThat(discharged.getHospitalization().getDischargeDisposition().getCoding())
                    .extracting(c -> c.getCode()).contains("01");

            send("A13", "20261122160000", pid(patient, "Journey^Robin^Jo||19840412|F"),
                    pv1("I", "WARD2^R3^B4", "", inpatientVisit, "", "", ""));
            Encounter reopened = encounter(inpatientVisit);
            assertThat(reopened.getStatus()).isEqualTo(EncounterStatus.INPROGRESS);
            assertThat(reopened.getPeriod().hasEnd()).isFalse();
            assertThat(reopened.getHospitalization().hasDischargeDisposition()).isFalse();

            send("A11", "20261122170000", pid(patient, "Journey^Robin^Jo||19840412|F"),
                    pv1("I", "", "", inpatientVisit, "", "", ""));
            assertThat(encounter(inpatientVisit).getStatus()).isEqualTo(EncounterStatus.CANCELLED);

            send("A40", "20261123090000", pid(survivor, "Journey^Robin^Jo||19840412|F"),
                    "MRG|" + patient + "^^^NHS^NH");
        }
        Patient kept = patient(survivor);
        Patient retired = patient(patient);
        assertThat(retired.getActive()).isFalse();
        assertThat(retired.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACEDBY);
        assertThat(retired.getLinkFirstRep().getOther().getReferenceElement().getIdPart()).isEqualTo(kept.getIdElement().getIdPart());
        assertThat(kept.getLinkFirstRep().getType()).isEqualTo(Patient.LinkType.REPLACES);
        assertThat(kept.getLinkFirstRep().getOther().getReferenceElement().getIdPart()).isEqualTo(retired.getIdElement().getIdPart());
        for (String visit : List.of(outpatientVisit, inpatientVisit)) {
            assertThat(encounter(visit).getSubject().getReferenceElement().getIdPart())
                    .as("%s moved to the survivor", visit).isEqualTo(kept.getIdElement().getIdPart());
        }

        Encounter last = encounter(inpatientVisit);
        assertThat(last.getMeta().getSource()).isEqualTo("urn:livingwell:feed:trust-hl7:message:" + run + "-A40");
        List<Provenance> provenance = search(Provenance.class,
                "Provenance?target=Encounter/" + last.getIdElement().getIdPart());
        assertThat(provenance).extracting(p -> p.getEntityFirstRep().getWhat().getIdentifier().getValue())
                .contains("TRUSTEPR^RV5|" + run + "-A01", "TRUSTEPR^RV5|" + run + "-A03", "TRUSTEPR^RV5|" + run + "-A40");
        assertThat(provenance.get(0).getAgentFirstRep().getWho().getIdentifier().getValue()).isEqualTo("TRUSTEPR^RV5");
        assertThat(search(Organization.class, "Organization?identifier=" + SharedRecordContract.ODS + "|" + practice)).hasSize(1);
        assertThat(h2IdLookupRewrite.rewritten()).as("HAPI's id look-ups still have the shape H2 needs rewritten").isPositive();
    }

    /** Sends one message of the journey (control ID: run-trigger), expects AA, waits until it is applied. */
    private void send(String trigger, String time, String... segments) throws Exception {
        String controlId = run + "-" + trigger;
        String structure = switch (trigger) {
            case "A40" -> "ADT_A39";
            case "A04", "A08", "A13", "A01" -> "ADT_A01";
            case "A02" -> "ADT_A02";
            case "A03" -> "ADT_A03";
            case "A11" -> "ADT_A09";
            default -> "ADT_A01";
        };
        String message = "MSH|^~\\&|TRUSTEPR|RV5|LWGATEWAY|LWNA|" + time + "||ADT^" + trigger + "^" + structure + "|"
                + controlId + "|P|2.5.1\rEVN|" + trigger + "|" + time + "\r" + String.join("\r", segments);
        assertThat(trust.send(message)).contains("MSA|AA|" + controlId);
        MessageLog.Key key = new MessageLog.Key("trust-hl7", "TRUSTEPR^RV5", controlId);
        await().atMost(Duration.ofSeconds(30)).until(() -> messageLog.find(key)
                .map(entry -> entry.status() != MessageLog.Status.ACCEPTED).orElse(false));
        assertThat(messageLog.find(key).orElseThrow().status()).as("%s: %s", trigger, messageLog.find(key).orElseThrow().reason())
                .isEqualTo(MessageLog.Status.APPLIED);
    }

    private static String pid(String nhsNumber, String rest) {
        return "PID|1||" + nhsNumber + "^^^NHS^NH||" + rest;
    }

    /** A PV1 with the fields the journey uses; the rest empty. */
    private static String pv1(String patientClass, String location, String attending, String visit, String disposition,
            String admitted, String discharged, String... priorLocation) {
        String[] fields = new String[46];
        Arrays.fill(fields, "");
        fields[0] = "PV1";
        fields[1] = "1";
        fields[2] = patientClass;
        fields[3] = location;
        fields[6] = priorLocation.length > 0 ? priorLocation[0] : "";
        fields[7] = attending;
        fields[19] = visit;
        fields[36] = disposition;
        fields[44] = admitted;
        fields[45] = discharged;
        return String.join("|", fields);
    }

    private Encounter encounter(String visit) {
        return one(Encounter.class, "Encounter?identifier=" + VISITS + "|" + visit);
    }

    private Patient patient(String nhsNumber) {
        return one(Patient.class, "Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber);
    }

    /** Each location as its identifier value and status, e.g. WARD1-R1-B1:active. */
    private List<String> locationCodes(Encounter encounter) {
        return encounter.getLocation().stream().map(location -> {
            String id = location.getLocation().getReferenceElement().getIdPart();
            org.hl7.fhir.r4.model.Location stored = fhirClient().read().resource(org.hl7.fhir.r4.model.Location.class).withId(id).execute();
            String code = stored.getIdentifier().stream().filter(i -> LOCATIONS.equals(i.getSystem())).findFirst().orElseThrow().getValue();
            EncounterLocationStatus status = location.getStatus();
            return code + ":" + (status == null ? "none" : status.toCode());
        }).toList();
    }

    private <R extends Resource> R one(Class<R> type, String url) {
        List<R> found = search(type, url);
        assertThat(found).as(url).hasSize(1);
        return found.get(0);
    }

    private <R extends Resource> List<R> search(Class<R> type, String url) {
        Bundle found = fhirClient().search().byUrl(url).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(entry -> type.cast(entry.getResource())).toList();
    }
}
