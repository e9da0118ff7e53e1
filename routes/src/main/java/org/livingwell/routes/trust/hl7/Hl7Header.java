package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.util.Terser;

/**
 * The MSH fields the routes act on and may log: none of them is patient data.
 *
 * @param controlId MSH-10, echoed in the ACK's MSA-2
 * @param messageCode MSH-9.1, e.g. {@code ADT}
 * @param triggerEvent MSH-9.2, e.g. {@code A04}
 * @param sendingApplication MSH-3.1, e.g. {@code TRUSTEPR}
 * @param sendingFacility MSH-4.1, e.g. {@code RV5}
 * @param processingId MSH-11.1: {@code P} production, {@code T} training, {@code D} debugging
 */
public record Hl7Header(String controlId, String messageCode, String triggerEvent, String sendingApplication,
        String sendingFacility, String processingId) {

    /** Reads the header of a parsed message. */
    public static Hl7Header of(Message message) throws HL7Exception {
        Terser terser = new Terser(message);
        return new Hl7Header(
                nullToEmpty(terser.get("/MSH-10")),
                nullToEmpty(terser.get("/MSH-9-1")),
                nullToEmpty(terser.get("/MSH-9-2")),
                nullToEmpty(terser.get("/MSH-3-1")),
                nullToEmpty(terser.get("/MSH-4-1")),
                nullToEmpty(terser.get("/MSH-11-1")));
    }

    /**
     * Reads the header of a message being translated or applied.
     *
     * @throws Hl7TranslationException at MSH if it cannot be read
     */
    public static Hl7Header read(Message message) {
        try {
            return of(message);
        } catch (HL7Exception unreadable) {
            throw new Hl7TranslationException("MSH", "header unreadable: " + unreadable.getMessage(), unreadable);
        }
    }

    /** The message type as people write it, e.g. {@code ADT^A04}. */
    public String type() {
        return triggerEvent.isEmpty() ? messageCode : messageCode + "^" + triggerEvent;
    }

    /** The sending system, e.g. {@code TRUSTEPR^RV5}: with MSH-10 it names one message. */
    public String sender() {
        return sendingApplication + "^" + sendingFacility;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
