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
 */
public record Hl7Header(String controlId, String messageCode, String triggerEvent) {

    /** Reads the header of a parsed message. */
    public static Hl7Header of(Message message) throws HL7Exception {
        Terser terser = new Terser(message);
        return new Hl7Header(
                nullToEmpty(terser.get("/MSH-10")),
                nullToEmpty(terser.get("/MSH-9-1")),
                nullToEmpty(terser.get("/MSH-9-2")));
    }

    /** The message type as people write it, e.g. {@code ADT^A04}. */
    public String type() {
        return triggerEvent.isEmpty() ? messageCode : messageCode + "^" + triggerEvent;
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
