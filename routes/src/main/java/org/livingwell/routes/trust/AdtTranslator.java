package org.livingwell.routes.trust;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Patient;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Parser;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.PatientContribution;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upsert;

/**
 * Turns an ADT message from the trust EPR (parsed by {@link Hl7Parser}) into the FHIR transaction
 * Bundle that brings the shared record up to date.
 */
public final class AdtTranslator {

    /**
     * What each supported trigger event becomes. A28/A31 (person added/updated) and A08 (patient
     * updated) carry the same PID and slot in here when the trust switches them on; A01 will add
     * an Encounter from PV1.
     */
    private final Map<String, Function<Message, RecordChange>> translations = Map.of(
            "A04", this::patientRegistered);

    /** Whether {@link #translate} handles this message type; the listener rejects others up front. */
    public boolean supports(Hl7Header header) {
        return "ADT".equalsIgnoreCase(header.messageCode())
                && translations.containsKey(header.triggerEvent().toUpperCase(Locale.ROOT));
    }

    /**
     * What the message does to the shared record.
     *
     * @throws Hl7TranslationException if the type is unsupported or the content unusable; the
     *     message names the segment and field
     */
    public RecordChange translate(Message message) {
        Hl7Header header = header(message);
        if (!supports(header)) {
            throw new Hl7TranslationException("MSH-9", "message type " + header.type() + " is not supported");
        }
        return translations.get(header.triggerEvent().toUpperCase(Locale.ROOT)).apply(message);
    }

    /** A04: the patient registered. */
    private RecordChange patientRegistered(Message message) {
        PID pid = pid(message);
        NhsNumber nhsNumber = PidMapper.nhsNumber(pid);
        Patient patient = PidMapper.map(pid);
        Upsert<Patient> upsert = Upsert.of(Patient.class, Upsert.byIdentifier("Patient", NhsNumber.SYSTEM, nhsNumber.value()),
                stored -> PatientMergeRule.merge(stored, new PatientContribution(patient, Set.of(), TrustHl7Route.SOURCE, null)));
        Hl7Header header = header(message);
        return new RecordChange(new RecordChange.Origin(TrustHl7Route.SOURCE, "TRUST", header.controlId(), null), List.of(upsert));
    }

    private static PID pid(Message message) {
        try {
            PID pid = (PID) message.get("PID");
            if (pid.isEmpty()) {
                throw new Hl7TranslationException("PID", "segment missing");
            }
            return pid;
        } catch (HL7Exception e) {
            throw new Hl7TranslationException("PID", "segment missing or unreadable (" + e.getMessage() + ")");
        }
    }

    private static Hl7Header header(Message message) {
        try {
            return Hl7Header.of(message);
        } catch (HL7Exception e) {
            throw new Hl7TranslationException("MSH", "header unreadable (" + e.getMessage() + ")");
        }
    }
}
