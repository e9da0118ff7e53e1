package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.PD1;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientElement;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.hl7.Hl7Segments;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;

/**
 * What a trust message says about its patient (PID, PD1), the same for every message type: the Patient upsert,
 * which hands the message's contribution to {@link PatientMergeRule}, and the practice PD1 names.
 *
 * @param contribution only what the message carried, and what it cleared
 * @param upsert the Patient, found by NHS number
 */
record PatientPart(NhsNumber nhsNumber, PatientContribution contribution, Optional<OdsOrganization> practice,
        Upsert<Patient> upsert) {

    /**
     * @param recorded when the source system recorded the event, for the merge rule's "newer wins"
     * @throws Hl7TranslationException if PID is missing or PID-3 has no valid NHS number
     */
    static PatientPart from(Message message, Optional<DateTimeType> recorded) {
        PID pid = Hl7Segments.find(message, "PID", PID.class).orElseThrow(() ->
                new Hl7TranslationException("PID", ErrorCode.SEGMENT_SEQUENCE_ERROR, "segment missing"));
        NhsNumber nhsNumber = PidMapper.nhsNumber(pid);
        Patient patient = PidMapper.map(pid);
        Set<PatientElement> cleared = EnumSet.noneOf(PatientElement.class);
        cleared.addAll(PidMapper.cleared(pid, patient));
        Optional<PD1> pd1 = Hl7Segments.find(message, "PD1", PD1.class);
        Optional<OdsOrganization> practice = pd1.flatMap(Pd1Mapper::registeredPractice);
        practice.ifPresent(gp -> patient.addGeneralPractitioner(gp.reference().copy()));
        if (pd1.filter(Pd1Mapper::practiceCleared).isPresent()) {
            cleared.add(PatientElement.GENERAL_PRACTITIONER);
        }
        Instant sourceTime = recorded.map(time -> time.getValue().toInstant()).orElse(null);
        PatientContribution contribution = new PatientContribution(patient, cleared, AdtTranslator.FEED, sourceTime);
        Upsert<Patient> upsert = Upsert.of(Patient.class, search(nhsNumber),
                stored -> PatientMergeRule.merge(stored, contribution));
        return new PatientPart(nhsNumber, contribution, practice, upsert);
    }

    /** The Patient's search by NHS number, e.g. {@code Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018}. */
    static String search(NhsNumber nhsNumber) {
        return Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, nhsNumber.value());
    }

    /** How the other resources of the change point at the patient: the upsert's placeholder, plus the NHS number. */
    Reference subject() {
        return new Reference(upsert.reference())
                .setIdentifier(new Identifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber.value()));
    }
}
