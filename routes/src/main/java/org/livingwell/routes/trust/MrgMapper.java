package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.v251.segment.MRG;
import org.livingwell.routes.identity.NhsNumber;

/** Reads the retired patient of a merge (A40, A34, A39) from MRG-1. */
public final class MrgMapper {

    private MrgMapper() {}

    /**
     * The retired record's NHS number: the MRG-1 repetition typed {@code NH} or assigned by {@code NHS}.
     *
     * @throws org.livingwell.routes.trust.hl7.Hl7TranslationException naming MRG-1 if there is no valid one
     */
    public static NhsNumber retiredNhsNumber(MRG mrg) {
        return CxMapper.nhsNumber(mrg.getPriorPatientIdentifierList(), "MRG-1");
    }
}
