package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Structure;
import ca.uhn.hl7v2.util.ReadOnlyMessageIterator;
import ca.uhn.hl7v2.util.Terser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

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

    /**
     * Every segment of that name sent with content, in message order, wherever the structure keeps it (a REF's PRDs
     * each sit in a PROVIDER_CONTACT group; a message of a structure HAPI does not know keeps all at its top level).
     *
     * @throws Hl7TranslationException if one was read as something other than the 2.5.1 class asked for
     */
    public static <S extends Segment> List<S> all(Message message, String name, Class<S> type) {
        List<S> found = new ArrayList<>();
        for (Segment segment : segments(message)) {
            if (segment.getName().equals(name)) {
                if (!type.isInstance(segment)) {
                    throw new Hl7TranslationException(name, "segment not readable as HL7 v2.5.1 " + name);
                }
                found.add(type.cast(segment));
            }
        }
        return found;
    }

    /** The names of the Z-segments (a sender's own, which no mapping reads) in the message, each once, in order. */
    public static List<String> zSegments(Message message) {
        Set<String> names = new LinkedHashSet<>();
        for (Segment segment : segments(message)) {
            if (segment.getName().startsWith("Z")) {
                names.add(segment.getName());
            }
        }
        return List.copyOf(names);
    }

    /** The segments sent with content, in order; the iterator skips the structure's empty slots. */
    private static List<Segment> segments(Message message) {
        List<Segment> segments = new ArrayList<>();
        ReadOnlyMessageIterator structures = new ReadOnlyMessageIterator(message);
        while (structures.hasNext()) {
            Structure structure = structures.next();
            try {
                if (structure instanceof Segment segment && !segment.isEmpty()) {
                    segments.add(segment);
                }
            } catch (HL7Exception unreadable) {
                throw new Hl7TranslationException(structure.getName(), "segment unreadable: " + unreadable.getMessage(), unreadable);
            }
        }
        return segments;
    }
}
