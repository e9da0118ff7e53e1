package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import java.util.Locale;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;

/**
 * The trust that sent a message, by MSH-4.1, its ODS code (e.g. {@code RV5}): an LWOrganization, and the scope of
 * its own identifiers (visit numbers, locations, referral ids, teams), e.g.
 * {@code https://fhir.livingwell.example/Id/rv5/visit-number}.
 */
record SendingTrust(String odsCode, OdsOrganization organization) {

    private static final String ID_BASE = "https://fhir.livingwell.example/Id/";

    /**
     * @param scoped what the trust's ODS code scopes in this message, for the error, e.g. "its visit numbers"
     * @throws Hl7TranslationException at MSH-4 (101) if there is no sending facility
     */
    static SendingTrust of(MSH msh, String scoped) {
        String odsCode = Hl7Values.of(msh.getSendingFacility().getNamespaceID())
                .orElseThrow(() -> new Hl7TranslationException("MSH-4", ErrorCode.REQUIRED_FIELD_MISSING,
                        "no sending facility: the trust's ODS code scopes " + scoped))
                .toUpperCase(Locale.ROOT);
        return new SendingTrust(odsCode, OdsOrganization.of(odsCode, null));
    }

    /** The identifier system of one kind of the trust's own identifiers, e.g. {@code visit-number}. */
    String system(String kind) {
        return ID_BASE + odsCode.toLowerCase(Locale.ROOT) + "/" + kind;
    }
}
