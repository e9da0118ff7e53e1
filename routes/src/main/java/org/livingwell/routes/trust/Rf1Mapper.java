package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.v251.datatype.CE;
import ca.uhn.hl7v2.model.v251.datatype.EI;
import ca.uhn.hl7v2.model.v251.segment.RF1;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestPriority;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.livingwell.routes.trust.hl7.CeMapper;
import org.livingwell.routes.codes.CodeMap;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.TsMapper;

/** Reads what an RF1 segment says about one referral, the same way for every REF event. */
public final class Rf1Mapper {

    /** FHIR's code system for HL7 v2 table 0283, the referral status (RF1-1). */
    public static final String REFERRAL_STATUS_SYSTEM = CeMapper.V2_TABLE + "0283";

    private static final CodeMap STATUS = CodeMap.load("v2-0283-to-request-status");
    private static final CodeMap STATUS_DISPLAY = CodeMap.load("v2-0283-to-display");
    private static final CodeMap PRIORITY = CodeMap.load("v2-0280-to-request-priority");
    private static final CodeMap REFERRAL_TYPE = CodeMap.load("v2-0281-to-display");
    private static final CodeMap REFERRAL_CATEGORY = CodeMap.load("v2-0284-to-display");
    private static final CodeMap REFERRAL_REASON = CodeMap.load("v2-0336-to-display");

    private Rf1Mapper() {}

    /**
     * What one RF1 says; every part but the identifier is optional, and absent means "no news".
     *
     * @param id RF1-6.1, the originating referral identifier
     * @param externalIds RF1-11.1 of each repetition (e.g. an e-Referral Service UBRN)
     * @param referralStatus RF1-1 as a table 0283 coding, if it is one
     * @param status RF1-1 as a ServiceRequest status, if it is a table 0283 code
     * @param priority RF1-2 through table 0280
     * @param type RF1-3 (table 0281 or the trust's own codes)
     * @param category RF1-5 (table 0284)
     * @param reasons RF1-10, each repetition (table 0336)
     * @param authored RF1-7 effective date, else RF1-9 process date
     * @param notes codes the message sent that could not be mapped, for the message log
     */
    public record Referral(String id, List<String> externalIds, Optional<Coding> referralStatus,
            Optional<ServiceRequestStatus> status, Optional<ServiceRequestPriority> priority,
            Optional<CodeableConcept> type, Optional<CodeableConcept> category, List<CodeableConcept> reasons,
            Optional<DateTimeType> authored, List<String> notes) {}

    /**
     * @throws Hl7TranslationException at RF1-6 (101) without a referral identifier, or at RF1-7/RF1-9 if a date is not one
     */
    public static Referral map(RF1 rf1) {
        String id = Hl7Values.of(rf1.getOriginatingReferralIdentifier().getEntityIdentifier())
                .orElseThrow(() -> new Hl7TranslationException("RF1-6", ErrorCode.REQUIRED_FIELD_MISSING,
                        "no originating referral identifier: the referral cannot be told apart from others"));
        List<String> notes = new ArrayList<>();
        List<String> externalIds = new ArrayList<>();
        for (EI external : rf1.getExternalReferralIdentifier()) {
            Hl7Values.of(external.getEntityIdentifier()).ifPresent(externalIds::add);
        }
        Optional<String> statusCode = Hl7Values.of(rf1.getReferralStatus().getIdentifier());
        Optional<String> status = statusCode.flatMap(STATUS_DISPLAY::code);
        if (statusCode.isPresent() && status.isEmpty()) {
            notes.add("RF1-1: referral status '" + statusCode.get() + "' is not in table 0283; left out, status from the event");
        }
        Optional<String> priorityCode = Hl7Values.of(rf1.getReferralPriority().getIdentifier());
        Optional<ServiceRequestPriority> priority = priorityCode.flatMap(PRIORITY::lookup).map(ServiceRequestPriority::fromCode);
        if (priorityCode.isPresent() && priority.isEmpty()) {
            notes.add("RF1-2: priority '" + priorityCode.get() + "' is not in table 0280; left out");
        }
        List<CodeableConcept> reasons = new ArrayList<>();
        for (CE reason : rf1.getReferralReason()) {
            CeMapper.map(reason, CeMapper.V2_TABLE + "0336", REFERRAL_REASON).ifPresent(reasons::add);
        }
        return new Referral(
                id,
                List.copyOf(externalIds),
                status.map(code -> new Coding(REFERRAL_STATUS_SYSTEM, code, STATUS_DISPLAY.lookup(code).orElse(null))),
                status.flatMap(STATUS::lookup).map(ServiceRequestStatus::fromCode),
                priority,
                CeMapper.map(rf1.getReferralType(), CeMapper.V2_TABLE + "0281", REFERRAL_TYPE),
                CeMapper.map(rf1.getReferralCategory(), CeMapper.V2_TABLE + "0284", REFERRAL_CATEGORY),
                List.copyOf(reasons),
                TsMapper.toDateTime(rf1.getEffectiveDate(), "RF1-7")
                        .or(() -> TsMapper.toDateTime(rf1.getProcessDate(), "RF1-9")),
                List.copyOf(notes));
    }

    /** Whether RF1-1 says the receiving service has accepted the referral (table 0283 {@code A}). */
    public static boolean accepted(Referral referral) {
        return referral.referralStatus().map(Coding::getCode).filter("A"::equals).isPresent();
    }
}
