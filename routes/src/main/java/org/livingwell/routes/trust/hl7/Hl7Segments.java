package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import java.util.Optional;

/** Finds a segment wherever the message structure keeps it (A40 keeps PID and MRG inside a group). */
public final class Hl7Segments {

    private Hl7Segments() {}

    /**
     * The first segment of that name anywhere in the message, if it was sent with any content.
     *
     * @throws Hl7TranslationException if the segment was sent but HAPI read it as something other
     *     than the 2.5.1 class asked for (a structure HAPI does not know)
     */
    public static <S extends Segment> Optional<S> find(Message message, String name, Class<S> type) {
        Segment segment;
        try {
            segment = new Terser(message).getSegment("/." + name);
            if (segment == null || segment.isEmpty()) {
                return Optional.empty();
            }
        } catch (HL7Exception | RuntimeException absent) {
            // A generic (unknown-structure) message has no slot for a segment it did not carry.
            return Optional.empty();
        }
        if (!type.isInstance(segment)) {
            throw new Hl7TranslationException(name, "segment not readable as HL7 v2.5.1 " + name);
        }
        return Optional.of(type.cast(segment));
    }
}
