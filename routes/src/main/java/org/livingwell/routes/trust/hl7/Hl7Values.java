package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import java.util.Arrays;
import java.util.Optional;

/** Reads HL7 v2 primitive values the way every mapper wants them: trimmed, blank as absent. */
public final class Hl7Values {

    private Hl7Values() {}

    /** The trimmed value, or empty when blank or the explicit null "". */
    public static Optional<String> of(Primitive primitive) {
        String value = primitive.getValue();
        if (value == null || value.isBlank() || "\"\"".equals(value.strip())) {
            // "" is HL7's explicit null ("delete this value"): no value to map; isExplicitNull tells the
            // translator to clear the stored element.
            return Optional.empty();
        }
        return Optional.of(value.strip());
    }

    /**
     * Whether the field was sent as HL7's explicit null {@code ""} ("delete what you hold"), as opposed
     * to left empty ("no news"): every repetition is {@code ""} and nothing else.
     */
    public static boolean isExplicitNull(Type... repetitions) {
        return repetitions.length > 0 && Arrays.stream(repetitions).allMatch(Hl7Values::isExplicitNull);
    }

    private static boolean isExplicitNull(Type type) {
        try {
            return "\"\"".equals(type.encode().strip());
        } catch (HL7Exception unencodable) {
            return false;
        }
    }
}
