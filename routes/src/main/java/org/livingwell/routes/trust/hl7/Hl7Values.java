package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.model.Primitive;
import java.util.Optional;

/** Reads HL7 v2 primitive values the way every mapper wants them: trimmed, blank as absent. */
public final class Hl7Values {

    private Hl7Values() {}

    /** The trimmed value, or empty when blank or the explicit null "". */
    public static Optional<String> of(Primitive primitive) {
        String value = primitive.getValue();
        if (value == null || value.isBlank() || "\"\"".equals(value.strip())) {
            // "" is HL7's explicit null ("delete this value"); leaving the element out of a resource
            // that replaces the stored one does just that.
            return Optional.empty();
        }
        return Optional.of(value.strip());
    }
}
