package org.livingwell.routes.trust;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestIntent;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;
import org.livingwell.routes.trust.Rf1Mapper.Referral;

/**
 * What each REF event does to the referral's ServiceRequest, as the update function of its Upsert: applied to
 * whatever the record holds (nothing, if this is the first message about the referral, whichever event it is),
 * changing only what the message carries, and giving the same result when applied again to its own result.
 */
final class ReferralEvents {

    static final String PROFILE = "https://fhir.livingwell.example/StructureDefinition/LWServiceRequest";
    /** RF1-1 as sent, which {@code status} cannot say (pending and accepted are both active). */
    static final String REFERRAL_STATUS_URL = "https://fhir.livingwell.example/StructureDefinition/LWReferralStatus";

    /** The cancel event. */
    static final String CANCEL = "I14";

    /** A closed referral stays closed: links do not keep order, and no REF event reopens one. */
    static final Set<ServiceRequestStatus> CLOSED =
            EnumSet.of(ServiceRequestStatus.REVOKED, ServiceRequestStatus.COMPLETED, ServiceRequestStatus.ENTEREDINERROR);

    private ReferralEvents() {}

    /**
     * What one message says about one referral.
     *
     * @param trigger I12, I13 or I14
     * @param identifiers RF1-6 in the trust's referral-id system, then RF1-11 in its external-referral-id system
     * @param subject the Patient upsert's reference
     * @param requester the referrer (PRD role RP), if the message names one
     * @param performer the team or service referred to (PRD role RT)
     * @param diagnoses DG1-3 of each DG1, reasons besides RF1-10
     * @param notes the text of each referral NTE
     * @param messageTime MSH-7: authoredOn when RF1-7 and RF1-9 are empty and nothing is stored; each new note's time
     */
    record Incoming(String trigger, Referral referral, List<Identifier> identifiers, Reference subject,
            Optional<Reference> requester, Reference performer, List<CodeableConcept> diagnoses, List<String> notes,
            DateTimeType messageTime) {}

    /** The update function for this message's ServiceRequest upsert. */
    static Function<Optional<ServiceRequest>, ServiceRequest> update(Incoming in) {
        return stored -> {
            ServiceRequest request = stored.map(ServiceRequest::copy).orElseGet(ServiceRequest::new);
            if (!request.getMeta().hasProfile(PROFILE)) {
                request.getMeta().addProfile(PROFILE);
            }
            for (Identifier identifier : in.identifiers()) {
                if (request.getIdentifier().stream().noneMatch(held -> same(held, identifier))) {
                    request.addIdentifier(identifier.copy());
                }
            }
            lifecycle(request, in);
            request.setIntent(ServiceRequestIntent.ORDER);
            request.setSubject(in.subject().copy());
            in.referral().priority().ifPresent(request::setPriority);
            in.referral().category().ifPresent(category -> request.setCategory(List.of(category.copy())));
            in.referral().type().ifPresent(type -> request.setCode(type.copy()));
            // Reasons accumulate like notes: REF cannot say a reason no longer holds, and a message leaving one out
            // (an I13 without RF1-10, say) is no news about it.
            List<CodeableConcept> reasons = new ArrayList<>(in.referral().reasons());
            reasons.addAll(in.diagnoses());
            for (CodeableConcept reason : reasons) {
                if (request.getReasonCode().stream().noneMatch(held -> same(held, reason))) {
                    request.addReasonCode(reason.copy());
                }
            }
            in.referral().authored().ifPresent(authored -> request.setAuthoredOnElement(authored.copy()));
            if (!request.hasAuthoredOn()) {
                request.setAuthoredOnElement(in.messageTime().copy());
            }
            // Without a referrer (a self-introduction), the patient asked: LWServiceRequest requires a requester.
            in.requester().ifPresent(requester -> request.setRequester(requester.copy()));
            if (!request.hasRequester()) {
                request.setRequester(in.subject().copy());
            }
            request.setPerformer(List.of(in.performer().copy()));
            // Notes accumulate; one already held (the same message again, or resent in a later one) is not repeated.
            for (String text : in.notes()) {
                if (request.getNote().stream().noneMatch(note -> text.equals(note.getText()))) {
                    request.addNote().setText(text).setTimeElement(in.messageTime().copy());
                }
            }
            return request;
        };
    }

    /**
     * I12 and I13 make the referral active, refined by RF1-1 (rejected: revoked, expired: completed) and keep RF1-1
     * itself in the LWReferralStatus extension; I14 revokes it. A closed referral is left closed.
     */
    private static void lifecycle(ServiceRequest request, Incoming in) {
        if (request.hasStatus() && CLOSED.contains(request.getStatus())) {
            return;
        }
        if (in.trigger().equals(CANCEL)) {
            request.setStatus(ServiceRequestStatus.REVOKED);
            return;
        }
        request.setStatus(in.referral().status().orElse(ServiceRequestStatus.ACTIVE));
        in.referral().referralStatus().ifPresent(code -> {
            request.getExtension().removeIf(held -> REFERRAL_STATUS_URL.equals(held.getUrl()));
            request.addExtension(REFERRAL_STATUS_URL, code.copy());
        });
    }

    private static boolean same(Identifier a, Identifier b) {
        return Objects.equals(a.getSystem(), b.getSystem()) && Objects.equals(a.getValue(), b.getValue());
    }

    /** The same codes (system and code), or with no codes the same text: a display sent differently is no new reason. */
    private static boolean same(CodeableConcept a, CodeableConcept b) {
        if (!a.hasCoding() && !b.hasCoding()) {
            return Objects.equals(a.getText(), b.getText());
        }
        return codes(a).equals(codes(b));
    }

    private static List<String> codes(CodeableConcept concept) {
        return concept.getCoding().stream().map(coding -> coding.getSystem() + "|" + coding.getCode()).toList();
    }
}
