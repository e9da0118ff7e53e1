package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import java.util.LinkedHashSet;
import java.util.Set;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;

/** Reads the NHS number out of an HL7 v2 CX list (PID-3, MRG-1), the same way wherever the list appears. */
public final class CxMapper {

    private CxMapper() {}

    /**
     * The NHS number from the repetition typed {@code NH} or assigned by {@code NHS}.
     *
     * @param field where the list came from, e.g. {@code PID-3}, for the error
     * @throws Hl7TranslationException if there is none (101), it is invalid (102), or two disagree (102)
     */
    public static NhsNumber nhsNumber(CX[] identifiers, String field) {
        Set<NhsNumber> found = new LinkedHashSet<>();
        for (CX cx : identifiers) {
            if (isNhsNumber(cx)) {
                String value = Hl7Values.of(cx.getIDNumber()).orElse("");
                try {
                    found.add(NhsNumber.parse(value));
                } catch (IllegalArgumentException invalid) {
                    throw new Hl7TranslationException(field, invalid.getMessage());
                }
            }
        }
        if (found.isEmpty()) {
            throw new Hl7TranslationException(field, ErrorCode.REQUIRED_FIELD_MISSING,
                    "no NHS number (identifier type NH or assigning authority NHS) in any repetition");
        }
        if (found.size() > 1) {
            throw new Hl7TranslationException(field, "different NHS numbers in one message: " + found);
        }
        return found.iterator().next();
    }

    /** Whether this repetition claims to be an NHS number: typed {@code NH} or assigned by {@code NHS}. */
    public static boolean isNhsNumber(CX cx) {
        return Hl7Values.of(cx.getIdentifierTypeCode()).filter("NH"::equalsIgnoreCase).isPresent()
                || Hl7Values.of(cx.getAssigningAuthority().getNamespaceID()).filter("NHS"::equalsIgnoreCase).isPresent();
    }
}
