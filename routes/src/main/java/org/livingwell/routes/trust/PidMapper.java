package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Patient;
import org.livingwell.routes.trust.hl7.CodeMap;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.TsMapper;
import org.livingwell.routes.trust.hl7.XadMapper;
import org.livingwell.routes.trust.hl7.XpnMapper;
import org.livingwell.routes.trust.hl7.XtnMapper;
import org.livingwell.routes.identity.NhsNumber;

/** Maps the trust EPR's PID segment to a FHIR Patient, the same way for every ADT event. */
public final class PidMapper {

    /** Identifier system for the trust's local hospital number (MRN). */
    public static final String TRUST_MRN_SYSTEM = "https://fhir.livingwell.example/Id/trust-mrn";

    // Table 0203 codes the trust EPR uses for its own hospital number; PI is how some builds send it.
    private static final Set<String> MRN_TYPES = Set.of("MR", "PI");

    private static final CodeMap GENDER = CodeMap.load("v2-0001-to-administrative-gender");

    private PidMapper() {}

    /**
     * The patient, identified by NHS number (first) and trust MRN (second, when sent).
     *
     * @throws Hl7TranslationException if PID-3 has no valid NHS number, or a date is malformed
     */
    public static Patient map(PID pid) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber(pid).value());
        trustMrn(pid).ifPresent(mrn -> patient.addIdentifier().setSystem(TRUST_MRN_SYSTEM).setValue(mrn));

        for (XPN xpn : pid.getPatientName()) {
            XpnMapper.map(xpn).ifPresent(patient::addName);
        }
        Hl7Values.of(pid.getAdministrativeSex())
                .flatMap(GENDER::lookup)
                .map(AdministrativeGender::fromCode)
                .ifPresent(patient::setGender);
        TsMapper.toDate(pid.getDateTimeOfBirth(), "PID-7").ifPresent(patient::setBirthDateElement);
        for (XAD xad : pid.getPatientAddress()) {
            XadMapper.map(xad).ifPresent(patient::addAddress);
        }
        for (XTN xtn : pid.getPhoneNumberHome()) {
            XtnMapper.map(xtn, ContactPointUse.HOME).ifPresent(patient::addTelecom);
        }
        for (XTN xtn : pid.getPhoneNumberBusiness()) {
            XtnMapper.map(xtn, ContactPointUse.WORK).ifPresent(patient::addTelecom);
        }
        mapDeceased(pid, patient);
        return patient;
    }

    /**
     * The NHS number from the PID-3 repetition typed {@code NH} or assigned by {@code NHS}.
     *
     * @throws Hl7TranslationException if there is none, it is invalid, or two disagree
     */
    public static NhsNumber nhsNumber(PID pid) {
        Set<NhsNumber> found = new LinkedHashSet<>();
        for (CX cx : pid.getPatientIdentifierList()) {
            if (isNhsNumber(cx)) {
                String value = Hl7Values.of(cx.getIDNumber()).orElse("");
                try {
                    found.add(NhsNumber.parse(value));
                } catch (IllegalArgumentException invalid) {
                    throw new Hl7TranslationException("PID-3", invalid.getMessage());
                }
            }
        }
        if (found.isEmpty()) {
            throw new Hl7TranslationException(
                    "PID-3", "no NHS number (identifier type NH or assigning authority NHS) in any repetition");
        }
        if (found.size() > 1) {
            throw new Hl7TranslationException("PID-3", "different NHS numbers in one message: " + found);
        }
        return found.iterator().next();
    }

    private static boolean isNhsNumber(CX cx) {
        return Hl7Values.of(cx.getIdentifierTypeCode()).filter("NH"::equalsIgnoreCase).isPresent()
                || Hl7Values.of(cx.getAssigningAuthority().getNamespaceID()).filter("NHS"::equalsIgnoreCase).isPresent();
    }

    private static Optional<String> trustMrn(PID pid) {
        for (CX cx : pid.getPatientIdentifierList()) {
            boolean isMrn = Hl7Values.of(cx.getIdentifierTypeCode())
                    .filter(type -> MRN_TYPES.contains(type.toUpperCase(Locale.ROOT)))
                    .isPresent();
            if (isMrn && !isNhsNumber(cx)) {
                Optional<String> value = Hl7Values.of(cx.getIDNumber());
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    /** PID-29 gives when; PID-30 alone only whether. */
    private static void mapDeceased(PID pid, Patient patient) {
        Optional<DateTimeType> deathTime = TsMapper.toDateTime(pid.getPatientDeathDateAndTime(), "PID-29");
        if (deathTime.isPresent()) {
            patient.setDeceased(deathTime.get());
            return;
        }
        Hl7Values.of(pid.getPatientDeathIndicator())
                .map(String::toUpperCase)
                .filter(flag -> flag.equals("Y") || flag.equals("N"))
                .ifPresent(flag -> patient.setDeceased(new BooleanType(flag.equals("Y"))));
    }
}
