package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.v251.datatype.XON;
import ca.uhn.hl7v2.model.v251.segment.PD1;
import java.util.Locale;
import java.util.Optional;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.trust.hl7.Hl7Values;

/** Maps PD1-3 (the patient's registered GP practice) to the practice's LWOrganization. */
public final class Pd1Mapper {

    private Pd1Mapper() {}

    /** The first PD1-3 repetition with an ODS code: XON-10 (2.5 and later), else XON-3 (how 2.3/2.4 senders put it). */
    public static Optional<OdsOrganization> registeredPractice(PD1 pd1) {
        for (XON xon : pd1.getPatientPrimaryFacility()) {
            Optional<String> odsCode = Hl7Values.of(xon.getOrganizationIdentifier()).or(() -> Hl7Values.of(xon.getIDNumber()));
            if (odsCode.isPresent()) {
                return Optional.of(OdsOrganization.of(
                        odsCode.get().toUpperCase(Locale.ROOT), Hl7Values.of(xon.getOrganizationName()).orElse(null)));
            }
        }
        return Optional.empty();
    }

    /** Whether PD1-3 was sent as {@code ""}: the patient has no registered practice any more. */
    public static boolean practiceCleared(PD1 pd1) {
        return Hl7Values.isExplicitNull(pd1.getPatientPrimaryFacility());
    }
}
