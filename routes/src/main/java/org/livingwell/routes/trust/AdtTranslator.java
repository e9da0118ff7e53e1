package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.v251.segment.EVN;
import ca.uhn.hl7v2.model.v251.segment.MRG;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.RecordChange.PatientMerge;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.Pv1Mapper.Visit;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Parser;
import org.livingwell.routes.trust.hl7.Hl7Segments;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.TsMapper;

/**
 * Turns an ADT message from the trust EPR (parsed by {@link Hl7Parser}) into the {@link RecordChange}
 * that brings the shared record up to date: the Patient, their GP practice, and the visit's Encounter
 * with the trust and its locations. Reads everything it needs up front, so a content error surfaces
 * here (at receipt) and never inside the store's transaction.
 */
public final class AdtTranslator {

    /** The feed name in every change's Origin and Patient contribution. */
    public static final String FEED = "trust-hl7";

    private static final Set<String> MERGES = Set.of("A34", "A39", "A40");
    private static final Set<String> PERSON_ONLY = Set.of("A28", "A31");

    /** Whether {@link #translate} handles this message type; the listener rejects others up front. */
    public boolean supports(Hl7Header header) {
        String trigger = header.triggerEvent().toUpperCase(Locale.ROOT);
        return "ADT".equalsIgnoreCase(header.messageCode())
                && (EncounterEvents.MAY_CARRY_A_VISIT.contains(trigger) || PERSON_ONLY.contains(trigger) || MERGES.contains(trigger));
    }

    /**
     * What the message does to the shared record.
     *
     * @throws Hl7TranslationException if the type is unsupported or the content unusable; it names the
     *     segment and field and carries the HL7 error code for the answer
     */
    public RecordChange translate(Message message) {
        Hl7Header header = Hl7Header.read(message);
        if (!supports(header)) {
            throw new Hl7TranslationException(
                    "MSH-9", ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "message type " + header.type() + " is not supported");
        }
        String trigger = header.triggerEvent().toUpperCase(Locale.ROOT);
        MSH msh = required(message, "MSH", MSH.class);
        Optional<EVN> evn = Hl7Segments.find(message, "EVN", EVN.class);
        Optional<DateTimeType> recorded = evn.flatMap(e -> TsMapper.toDateTime(e.getRecordedDateTime(), "EVN-2"))
                .or(() -> TsMapper.toDateTime(msh.getDateTimeOfMessage(), "MSH-7"));
        Origin origin = new Origin(FEED, header.sender(), header.controlId(),
                recorded.map(DateTimeType::getValueAsString).orElse(null));

        PatientPart patient = PatientPart.from(message, recorded);
        NhsNumber nhsNumber = patient.nhsNumber();
        String patientSearch = PatientPart.search(nhsNumber);
        List<Upsert<?>> upserts = new ArrayList<>();
        upserts.add(patient.upsert());
        patient.practice().ifPresent(gp -> upserts.add(gp.upsert()));

        if (MERGES.contains(trigger)) {
            NhsNumber retired = MrgMapper.retiredNhsNumber(required(message, "MRG", MRG.class));
            if (retired.equals(nhsNumber)) {
                throw new Hl7TranslationException("MRG-1", "the retired NHS number is the surviving one (PID-3)");
            }
            PatientMerge merge = new PatientMerge(patientSearch, PatientPart.search(retired));
            return new RecordChange(origin, upserts, Optional.of(merge));
        }
        if (EncounterEvents.MAY_CARRY_A_VISIT.contains(trigger)) {
            Optional<DateTimeType> occurred = evn.flatMap(e -> TsMapper.toDateTime(e.getEventOccurred(), "EVN-6"));
            visit(message, msh, trigger, patient.subject(), occurred.or(() -> recorded)).ifPresent(upserts::addAll);
        }
        return new RecordChange(origin, upserts);
    }

    /**
     * The visit's Encounter with the trust and the locations it names, or empty when the message carries
     * no visit number (an A04 registration, an A08 without a visit).
     */
    private static Optional<List<Upsert<?>>> visit(
            Message message, MSH msh, String trigger, Reference subject, Optional<DateTimeType> eventTime) {
        Optional<PV1> pv1 = Hl7Segments.find(message, "PV1", PV1.class);
        Optional<String> visitNumber = pv1.flatMap(p -> Hl7Values.of(p.getVisitNumber().getIDNumber()));
        if (visitNumber.isEmpty()) {
            if (EncounterEvents.NEED_A_VISIT.contains(trigger)) {
                throw new Hl7TranslationException("PV1-19", ErrorCode.REQUIRED_FIELD_MISSING,
                        "no visit number: ADT^" + trigger + " acts on a visit");
            }
            return Optional.empty();
        }
        SendingTrust sender = SendingTrust.of(msh, "its visit numbers");
        OdsOrganization trust = sender.organization();
        Visit visit = Pv1Mapper.map(pv1.get(), sender.system("location"), trust.reference());
        DateTimeType time = eventTime.orElseThrow(() -> new Hl7TranslationException(
                "EVN-2", ErrorCode.REQUIRED_FIELD_MISSING, "no event time (EVN-2, EVN-6 or MSH-7)"));

        List<Upsert<?>> upserts = new ArrayList<>();
        upserts.add(trust.upsert());
        visit.location().ifPresent(place -> upserts.addAll(place.upserts()));
        visit.priorLocation().ifPresent(place -> upserts.addAll(place.upserts()));
        Identifier identifier = new Identifier().setSystem(sender.system("visit-number")).setValue(visitNumber.get());
        EncounterEvents.Incoming incoming =
                new EncounterEvents.Incoming(trigger, visit, identifier, subject, trust.reference(), time);
        upserts.add(Upsert.of(Encounter.class,
                Upsert.byIdentifier("Encounter", identifier.getSystem(), identifier.getValue()),
                EncounterEvents.update(incoming)));
        return Optional.of(upserts);
    }

    private static <S extends Segment> S required(Message message, String name, Class<S> type) {
        return Hl7Segments.find(message, name, type).orElseThrow(() ->
                new Hl7TranslationException(name, ErrorCode.SEGMENT_SEQUENCE_ERROR, "segment missing"));
    }
}
