package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v251.datatype.FT;
import ca.uhn.hl7v2.model.v251.segment.DG1;
import ca.uhn.hl7v2.model.v251.segment.MSH;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import ca.uhn.hl7v2.model.v251.segment.PRD;
import ca.uhn.hl7v2.model.v251.segment.RF1;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.livingwell.routes.identity.OdsOrganization;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.PrdMapper.Provider;
import org.livingwell.routes.trust.Rf1Mapper.Referral;
import org.livingwell.routes.trust.hl7.CeMapper;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Segments;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.trust.hl7.Hl7Values;
import org.livingwell.routes.trust.hl7.TsMapper;

/**
 * Turns a referral message from the trust EPR (REF I12 new, I13 modify, I14 cancel) into the {@link RecordChange}
 * that brings the shared record up to date: the Patient and their GP practice (as ADT does), the referral's
 * ServiceRequest with who referred and the team or service referred to, and the team's caseload EpisodeOfCare once
 * the referral is accepted. Reads everything it needs up front, so a content error surfaces at receipt.
 */
public final class RefTranslator {

    private static final Set<String> TRIGGERS = Set.of("I12", "I13", "I14");
    /** REF I15 asks for a referral's status: a query, which this feed, applying messages, does not answer. */
    private static final String STATUS_QUERY = "I15";
    private static final String ICD_10 = "http://hl7.org/fhir/sid/icd-10";

    /** Whether {@link #translate} handles this message type. */
    public boolean supports(Hl7Header header) {
        return "REF".equalsIgnoreCase(header.messageCode()) && TRIGGERS.contains(trigger(header));
    }

    /** Whether the message is a referral status query (REF^I15). */
    public boolean isStatusQuery(Hl7Header header) {
        return "REF".equalsIgnoreCase(header.messageCode()) && STATUS_QUERY.equals(trigger(header));
    }

    /**
     * What the message does to the shared record.
     *
     * @throws Hl7TranslationException if the type is unsupported or the content unusable (no RF1-6 referral id, no
     *     PRD with role RT, no valid NHS number...): it names the field and carries the HL7 error code for the answer
     */
    public RecordChange translate(Message message) {
        Hl7Header header = Hl7Header.read(message);
        if (!supports(header)) {
            throw new Hl7TranslationException(
                    "MSH-9", ErrorCode.UNSUPPORTED_MESSAGE_TYPE, "message type " + header.type() + " is not supported");
        }
        String trigger = trigger(header);
        MSH msh = Hl7Segments.find(message, "MSH", MSH.class).orElseThrow();
        Optional<DateTimeType> sent = TsMapper.toDateTime(msh.getDateTimeOfMessage(), "MSH-7");
        DateTimeType time = sent.orElseThrow(() -> new Hl7TranslationException("MSH-7", ErrorCode.REQUIRED_FIELD_MISSING,
                "no message time: it dates the referral's changes, and its acceptance"));
        Origin origin = new Origin(AdtTranslator.FEED, header.sender(), header.controlId(), time.getValueAsString());

        RF1 rf1 = Hl7Segments.find(message, "RF1", RF1.class).orElseThrow(() -> new Hl7TranslationException(
                "RF1-6", ErrorCode.REQUIRED_FIELD_MISSING, "no RF1 segment, so no referral identifier"));
        Referral referral = Rf1Mapper.map(rf1);
        SendingTrust trust = SendingTrust.of(msh, "its referral identifiers and teams");
        PatientPart patient = PatientPart.from(message, sent);

        // One upsert per ODS code: the practice in PD1-3 is often the referrer too, and two upserts with one search
        // would leave one placeholder reference unresolved.
        Map<String, OdsOrganization> organizations = new LinkedHashMap<>();
        organizations.put(trust.odsCode(), trust.organization());
        patient.practice().ifPresent(gp -> organizations.putIfAbsent(odsCode(gp), gp));
        BiFunction<String, String, OdsOrganization> byOdsCode =
                (code, name) -> organizations.computeIfAbsent(code, c -> OdsOrganization.of(c, name));
        List<PRD> prds = Hl7Segments.all(message, "PRD", PRD.class);
        PRD referredTo = PrdMapper.withRole(prds, PrdMapper.REFERRED_TO).orElseThrow(() -> new Hl7TranslationException(
                "PRD-1", ErrorCode.REQUIRED_FIELD_MISSING, "no PRD with role RT: the team or service referred to"));
        Provider performer = PrdMapper.referredTo(referredTo, trust, byOdsCode);
        Optional<Provider> requester = PrdMapper.withRole(prds, PrdMapper.REFERRER)
                .flatMap(prd -> PrdMapper.referrer(prd, trust, byOdsCode));

        List<Upsert<?>> upserts = new ArrayList<>();
        upserts.add(patient.upsert());
        organizations.values().forEach(organization -> upserts.add(organization.upsert()));
        requester.ifPresent(provider -> upserts.addAll(provider.upserts()));
        upserts.addAll(performer.upserts());

        Identifier referralId = new Identifier().setSystem(trust.system("referral-id")).setValue(referral.id());
        List<Identifier> identifiers = new ArrayList<>(List.of(referralId));
        referral.externalIds().forEach(id ->
                identifiers.add(new Identifier().setSystem(trust.system("external-referral-id")).setValue(id)));
        ReferralEvents.Incoming incoming = new ReferralEvents.Incoming(trigger, referral, identifiers, patient.subject(),
                requester.map(Provider::reference), performer.reference(), diagnoses(message), referralNotes(message), time);
        CaseloadEpisode.Handover handover = new CaseloadEpisode.Handover();
        Upsert<ServiceRequest> request = Upsert.of(ServiceRequest.class,
                Upsert.byIdentifier("ServiceRequest", referralId.getSystem(), referralId.getValue()),
                ReferralEvents.update(incoming).andThen(handover::keep));
        if (!trigger.equals("I12")) {
            request = request.notingWhenCreated("REF^" + trigger + " for a referral not in the record:"
                    + " created with what this message carries (its I12 may come later, or never)");
        }
        upserts.add(request);

        if (mayChangeCaseload(trigger, referral, performer)) {
            Identifier episodeId = new Identifier().setSystem(trust.system("referral-episode")).setValue(referral.id());
            Optional<Reference> team = performer.team().map(id -> new Reference()
                    .setIdentifier(id.copy()).setDisplay(performer.reference().getDisplay()));
            CaseloadEpisode.Incoming episode = new CaseloadEpisode.Incoming(episodeId, patient.subject(),
                    trust.organization().reference(), new Reference(request.reference()).setIdentifier(referralId.copy()),
                    team, time);
            upserts.add(Upsert.of(EpisodeOfCare.class,
                    Upsert.byIdentifier("EpisodeOfCare", episodeId.getSystem(), episodeId.getValue()),
                    CaseloadEpisode.update(episode, handover)));
        }
        return new RecordChange(origin, upserts, Optional.empty(), logNotes(referral, message));
    }

    /** An acceptance by a trust team opens the caseload episode; a cancellation, rejection or expiry ends it. */
    private static boolean mayChangeCaseload(String trigger, Referral referral, Provider performer) {
        boolean accepted = Rf1Mapper.accepted(referral) && performer.team().isPresent();
        boolean ends = trigger.equals(ReferralEvents.CANCEL)
                || referral.status().filter(ReferralEvents.CLOSED::contains).isPresent();
        return accepted || ends;
    }

    /** DG1-3 of each DG1: UK EPRs code them in ICD-10 (CE-3 {@code I10}), which is what an empty CE-3 is taken as. */
    private static List<CodeableConcept> diagnoses(Message message) {
        return Hl7Segments.all(message, "DG1", DG1.class).stream()
                .map(dg1 -> CeMapper.map(dg1.getDiagnosisCodeDG1(), ICD_10, null))
                .flatMap(Optional::stream)
                .toList();
    }

    /**
     * The referral's notes: each NTE at the message's top level, its NTE-3 lines joined. NTEs inside an
     * observation or procedure group annotate those, not the referral.
     */
    private static List<String> referralNotes(Message message) {
        List<String> notes = new ArrayList<>();
        for (NTE nte : Hl7Segments.all(message, "NTE", NTE.class)) {
            if (nte.getParent() != message) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            for (FT line : nte.getComment()) {
                Hl7Values.of(line).ifPresent(lines::add);
            }
            if (!lines.isEmpty()) {
                notes.add(String.join("\n", lines));
            }
        }
        return notes;
    }

    /** What the message log should say about the message: codes left out, segments no mapping reads. */
    private static List<String> logNotes(Referral referral, Message message) {
        List<String> notes = new ArrayList<>(referral.notes());
        List<String> unmapped = Hl7Segments.zSegments(message);
        if (!unmapped.isEmpty()) {
            notes.add("unmapped segments (ignored): " + String.join(", ", unmapped));
        }
        return notes;
    }

    private static String odsCode(OdsOrganization organization) {
        return organization.reference().getIdentifier().getValue();
    }

    private static String trigger(Hl7Header header) {
        return header.triggerEvent().toUpperCase(Locale.ROOT);
    }
}
