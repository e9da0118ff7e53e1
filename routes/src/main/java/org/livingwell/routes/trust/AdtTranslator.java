package org.livingwell.routes.trust;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.HTTPVerb;
import org.hl7.fhir.r4.model.Patient;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Parser;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.identity.NhsNumber;

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
    private final Map<String, Function<Message, Bundle>> translations = Map.of(
            "A04", this::patientRegistered);

    /** Whether {@link #translate} handles this message type; the listener rejects others up front. */
    public boolean supports(Hl7Header header) {
        return "ADT".equalsIgnoreCase(header.messageCode())
                && translations.containsKey(header.triggerEvent().toUpperCase(Locale.ROOT));
    }

    /**
     * The transaction to apply to the shared record.
     *
     * @throws Hl7TranslationException if the type is unsupported or the content unusable; the
     *     message names the segment and field
     */
    public Bundle translate(Message message) {
        Hl7Header header = header(message);
        if (!supports(header)) {
            throw new Hl7TranslationException("MSH-9", "message type " + header.type() + " is not supported");
        }
        return translations.get(header.triggerEvent().toUpperCase(Locale.ROOT)).apply(message);
    }

    /**
     * A04: the patient registered. The Patient is PUT conditionally on the NHS number, so the same
     * message applied twice (a resend, a redelivery) leaves one Patient.
     */
    private Bundle patientRegistered(Message message) {
        PID pid = pid(message);
        NhsNumber nhsNumber = PidMapper.nhsNumber(pid);
        Patient patient = PidMapper.map(pid);
        Bundle bundle = new Bundle().setType(BundleType.TRANSACTION);
        bundle.addEntry()
                .setFullUrl("urn:uuid:" + UUID.randomUUID())
                .setResource(patient)
                .getRequest()
                .setMethod(HTTPVerb.PUT)
                .setUrl("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber.value());
        return bundle;
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
