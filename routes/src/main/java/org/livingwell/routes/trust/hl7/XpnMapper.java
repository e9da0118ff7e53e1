package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.model.v251.datatype.XPN;
import java.util.Optional;
import org.hl7.fhir.r4.model.HumanName;
import org.livingwell.routes.codes.CodeMap;

/** Maps an HL7 v2 XPN (extended person name) to a FHIR HumanName, wherever the XPN appears. */
public final class XpnMapper {

    private static final CodeMap NAME_USE = CodeMap.load("v2-0200-to-name-use");

    private XpnMapper() {}

    /** The name, or empty if the XPN carries no name parts. */
    public static Optional<HumanName> map(XPN xpn) {
        HumanName name = new HumanName();
        Hl7Values.of(xpn.getFamilyName().getSurname()).ifPresent(name::setFamily);
        Hl7Values.of(xpn.getGivenName()).ifPresent(name::addGiven);
        // XPN-3 holds middle names or initials, which FHIR keeps as further given names.
        Hl7Values.of(xpn.getSecondAndFurtherGivenNamesOrInitialsThereof()).ifPresent(name::addGiven);
        Hl7Values.of(xpn.getPrefixEgDR()).ifPresent(name::addPrefix);
        Hl7Values.of(xpn.getSuffixEgJRorIII()).ifPresent(name::addSuffix);
        Hl7Values.of(xpn.getDegreeEgMD()).ifPresent(name::addSuffix);
        Hl7Values.of(xpn.getProfessionalSuffix()).ifPresent(name::addSuffix);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        Hl7Values.of(xpn.getNameTypeCode())
                .flatMap(NAME_USE::lookup)
                .map(HumanName.NameUse::fromCode)
                .ifPresent(name::setUse);
        return Optional.of(name);
    }
}
