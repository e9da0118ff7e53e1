package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.model.v251.datatype.XAD;
import java.util.Optional;
import org.hl7.fhir.r4.model.Address;
import org.livingwell.routes.codes.CodeMap;

/** Maps an HL7 v2 XAD (extended address) to a FHIR Address, wherever the XAD appears. */
public final class XadMapper {

    private static final CodeMap ADDRESS_USE = CodeMap.load("v2-0190-to-address-use");
    private static final CodeMap ADDRESS_TYPE = CodeMap.load("v2-0190-to-address-type");

    private XadMapper() {}

    /** The address, or empty if the XAD carries no address parts. */
    public static Optional<Address> map(XAD xad) {
        Address address = new Address();
        Hl7Values.of(xad.getStreetAddress().getStreetOrMailingAddress()).ifPresent(address::addLine);
        Hl7Values.of(xad.getOtherDesignation()).ifPresent(address::addLine);
        Hl7Values.of(xad.getCity()).ifPresent(address::setCity);
        // English senders put the county in XAD-4; UK Core keeps counties in Address.district.
        Hl7Values.of(xad.getStateOrProvince()).ifPresent(address::setDistrict);
        Hl7Values.of(xad.getZipOrPostalCode()).ifPresent(address::setPostalCode);
        Hl7Values.of(xad.getCountry()).ifPresent(address::setCountry);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> addressType = Hl7Values.of(xad.getAddressType());
        addressType.flatMap(ADDRESS_USE::lookup).map(Address.AddressUse::fromCode).ifPresent(address::setUse);
        addressType.flatMap(ADDRESS_TYPE::lookup).map(Address.AddressType::fromCode).ifPresent(address::setType);
        return Optional.of(address);
    }
}
