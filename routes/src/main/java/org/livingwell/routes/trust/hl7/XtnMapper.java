package org.livingwell.routes.trust.hl7;

import ca.uhn.hl7v2.model.v251.datatype.XTN;
import java.util.Optional;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.livingwell.routes.codes.CodeMap;

/** Maps an HL7 v2 XTN (telecom number or email) to a FHIR ContactPoint, wherever the XTN appears. */
public final class XtnMapper {

    private static final CodeMap USE = CodeMap.load("v2-0201-to-contact-point-use");
    private static final CodeMap SYSTEM = CodeMap.load("v2-0202-to-contact-point-system");

    private XtnMapper() {}

    /**
     * The contact point, or empty if the XTN carries no number or address.
     *
     * @param defaultUse the use the field implies when XTN-2 says nothing (PID-13 home, PID-14
     *     work); may be null
     */
    public static Optional<ContactPoint> map(XTN xtn, ContactPointUse defaultUse) {
        Optional<String> useCode = Hl7Values.of(xtn.getTelecommunicationUseCode());
        Optional<String> equipment = Hl7Values.of(xtn.getTelecommunicationEquipmentType());
        Optional<String> email = Hl7Values.of(xtn.getEmailAddress());
        boolean isEmail = email.isPresent() || useCode.filter("NET"::equalsIgnoreCase).isPresent();

        Optional<String> value = isEmail ? email.or(() -> Hl7Values.of(xtn.getTelephoneNumber())) : phoneNumber(xtn);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        ContactPoint contact = new ContactPoint().setValue(value.get());
        equipment.flatMap(SYSTEM::lookup)
                .map(ContactPointSystem::fromCode)
                .or(() -> isEmail ? Optional.of(ContactPointSystem.EMAIL) : Optional.empty())
                .ifPresent(contact::setSystem);
        useCode.flatMap(USE::lookup)
                .map(ContactPointUse::fromCode)
                // A cellular phone (XTN-3 CP) is a mobile whichever field it was sent in.
                .or(() -> equipment.filter("CP"::equalsIgnoreCase).map(cp -> ContactPointUse.MOBILE))
                .or(() -> Optional.ofNullable(defaultUse))
                .ifPresent(contact::setUse);
        return Optional.of(contact);
    }

    /** XTN-1 or XTN-12 as sent, else the number rebuilt from its parts (XTN-5 to XTN-8). */
    private static Optional<String> phoneNumber(XTN xtn) {
        Optional<String> sent =
                Hl7Values.of(xtn.getTelephoneNumber()).or(() -> Hl7Values.of(xtn.getUnformattedTelephoneNumber()));
        if (sent.isPresent()) {
            return sent;
        }
        Optional<String> local = Hl7Values.of(xtn.getLocalNumber());
        if (local.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder number = new StringBuilder();
        Hl7Values.of(xtn.getCountryCode()).ifPresent(country -> number.append('+').append(country).append(' '));
        Hl7Values.of(xtn.getAreaCityCode()).ifPresent(area -> number.append(area).append(' '));
        number.append(local.get());
        Hl7Values.of(xtn.getExtension()).ifPresent(extension -> number.append(" ext. ").append(extension));
        return Optional.of(number.toString());
    }
}
