package org.livingwell.routes.trust;

import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.IS;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.segment.PID;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.livingwell.routes.codes.CodeMap;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.TsMapper;
import org.livingwell.routes.trust.hl7.XadMapper;
import org.livingwell.routes.trust.hl7.XpnMapper;
import org.livingwell.routes.trust.hl7.XtnMapper;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.PatientElement;

/** Maps the trust EPR's PID segment to a FHIR Patient (LWPatient), the same way for every ADT event. */
public final class PidMapper {

    /** Identifier system for the trust's local hospital number (MRN). */
    public static final String TRUST_MRN_SYSTEM = "https://fhir.livingwell.example/Id/trust-mrn";

    // Table 0203 codes the trust EPR uses for its own hospital number; PI is how some builds send it.
    private static final Set<String> MRN_TYPES = Set.of("MR", "PI");

    /** The Living Well Patient profile, declared in {@code meta.profile}. */
    public static final String PROFILE = "https://fhir.livingwell.example/StructureDefinition/LWPatient";

    /** UK Core extension for PID-22, coded in {@link #ETHNIC_CATEGORY_SYSTEM}. */
    public static final String ETHNIC_CATEGORY_URL =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory";
    /** The NHS Data Dictionary ethnic categories (A-Z, 99) as UK Core publishes them for England. */
    public static final String ETHNIC_CATEGORY_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";

    /** UK Core extension on the NHS number identifier for PID-32, coded in {@link #VERIFICATION_STATUS_SYSTEM}. */
    public static final String VERIFICATION_STATUS_URL =
            "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus";
    /** The NHS number status indicator codes 01-08 as UK Core publishes them for England. */
    public static final String VERIFICATION_STATUS_SYSTEM =
            "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland";

    private static final CodeMap GENDER = CodeMap.load("v2-0001-to-administrative-gender");
    private static final CodeMap ETHNIC_CATEGORY = CodeMap.load("nhs-ethnic-category-to-display");
    private static final CodeMap VERIFICATION_STATUS = CodeMap.load("nhs-number-status-to-display");

    private PidMapper() {}

    /**
     * The patient, identified by NHS number (first) and trust MRN (second, when sent).
     *
     * @throws Hl7TranslationException if PID-3 has no valid NHS number, or a date is malformed
     */
    public static Patient map(PID pid) {
        Patient patient = new Patient();
        patient.getMeta().addProfile(PROFILE);
        Identifier nhsNumber = patient.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber(pid).value());
        verificationStatus(pid).ifPresent(status -> nhsNumber.addExtension(VERIFICATION_STATUS_URL, status));
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
        ethnicCategory(pid).ifPresent(category -> patient.addExtension(ETHNIC_CATEGORY_URL, category));
        return patient;
    }

    /**
     * The NHS number from the PID-3 repetition typed {@code NH} or assigned by {@code NHS}.
     *
     * @throws Hl7TranslationException if there is none, it is invalid, or two disagree
     */
    public static NhsNumber nhsNumber(PID pid) {
        return CxMapper.nhsNumber(pid.getPatientIdentifierList(), "PID-3");
    }

    /**
     * The elements this PID explicitly emptied: sent as {@code ""} (HL7's "delete what you hold") and
     * so absent from {@link #map}. PID-13 and PID-14 together are the telecom: one of them {@code ""}
     * and no number in either clears it.
     */
    public static Set<PatientElement> cleared(PID pid, Patient mapped) {
        Set<PatientElement> cleared = EnumSet.noneOf(PatientElement.class);
        clearIf(cleared, PatientElement.NAME, !mapped.hasName() && Hl7Values.isExplicitNull(pid.getPatientName()));
        clearIf(cleared, PatientElement.BIRTH_DATE,
                !mapped.hasBirthDate() && Hl7Values.isExplicitNull(pid.getDateTimeOfBirth()));
        clearIf(cleared, PatientElement.GENDER,
                !mapped.hasGender() && Hl7Values.isExplicitNull(pid.getAdministrativeSex()));
        clearIf(cleared, PatientElement.ADDRESS,
                !mapped.hasAddress() && Hl7Values.isExplicitNull(pid.getPatientAddress()));
        clearIf(cleared, PatientElement.TELECOM, !mapped.hasTelecom()
                && (Hl7Values.isExplicitNull(pid.getPhoneNumberHome()) || Hl7Values.isExplicitNull(pid.getPhoneNumberBusiness())));
        clearIf(cleared, PatientElement.DECEASED, !mapped.hasDeceased()
                && (Hl7Values.isExplicitNull(pid.getPatientDeathDateAndTime()) || Hl7Values.isExplicitNull(pid.getPatientDeathIndicator())));
        clearIf(cleared, PatientElement.ETHNIC_CATEGORY,
                !mapped.hasExtension(ETHNIC_CATEGORY_URL) && Hl7Values.isExplicitNull(pid.getEthnicGroup()));
        clearIf(cleared, PatientElement.NHS_NUMBER_VERIFICATION,
                Hl7Values.isExplicitNull(pid.getIdentityReliabilityCode()));
        return cleared;
    }

    private static void clearIf(Set<PatientElement> cleared, PatientElement element, boolean explicitlyEmptied) {
        if (explicitlyEmptied) {
            cleared.add(element);
        }
    }

    private static Optional<String> trustMrn(PID pid) {
        for (CX cx : pid.getPatientIdentifierList()) {
            boolean isMrn = Hl7Values.of(cx.getIdentifierTypeCode())
                    .filter(type -> MRN_TYPES.contains(type.toUpperCase(Locale.ROOT)))
                    .isPresent();
            if (isMrn && !CxMapper.isNhsNumber(cx)) {
                Optional<String> value = Hl7Values.of(cx.getIDNumber());
                if (value.isPresent()) {
                    return value;
                }
            }
        }
        return Optional.empty();
    }

    /** PID-22: the first repetition whose CE-1 is an NHS ethnic category; others are not ours to guess. */
    private static Optional<CodeableConcept> ethnicCategory(PID pid) {
        for (CE ce : pid.getEthnicGroup()) {
            Optional<CodeableConcept> category = coded(Hl7Values.of(ce.getIdentifier()), ETHNIC_CATEGORY, ETHNIC_CATEGORY_SYSTEM);
            if (category.isPresent()) {
                return category;
            }
        }
        return Optional.empty();
    }

    /** PID-32 (Identity Reliability Code), which NHS HL7 v2 senders use for the NHS number status indicator. */
    private static Optional<CodeableConcept> verificationStatus(PID pid) {
        for (IS is : pid.getIdentityReliabilityCode()) {
            Optional<CodeableConcept> status = coded(Hl7Values.of(is), VERIFICATION_STATUS, VERIFICATION_STATUS_SYSTEM);
            if (status.isPresent()) {
                return status;
            }
        }
        return Optional.empty();
    }

    private static Optional<CodeableConcept> coded(Optional<String> code, CodeMap displays, String system) {
        return code.map(c -> c.toUpperCase(Locale.ROOT))
                .flatMap(c -> displays.lookup(c).map(display -> new CodeableConcept(new Coding(system, c, display))));
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
