package org.livingwell.routes.trust;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.ServiceRequest.ServiceRequestStatus;

/**
 * The trust caseload: once a referral to one of the trust's teams is accepted, the patient is on that team's
 * caseload, an EpisodeOfCare identified by the referral id, until the referral is cancelled, rejected or completed.
 * Its update function follows what the same message made of the referral, so it never opens an episode for a
 * referral that stays closed.
 */
final class CaseloadEpisode {

    static final String PROFILE = "https://fhir.livingwell.example/StructureDefinition/LWEpisodeOfCare";
    static final String TYPE_SYSTEM = "https://fhir.livingwell.example/CodeSystem/lw-episode-type";
    static final String TYPE = "trust-community-team";

    private CaseloadEpisode() {}

    /**
     * What one message says about the episode.
     *
     * @param identifier the referral id (RF1-6) in the trust's referral-episode system
     * @param referral the ServiceRequest upsert's reference, with the referral id
     * @param team the trust team referred to (PRD role RT), if the referral is to one: its identifier and name
     * @param time MSH-7: when the referral was accepted, or ended
     */
    record Incoming(Identifier identifier, Reference patient, Reference trust, Reference referral,
            Optional<Reference> team, DateTimeType time) {}

    /**
     * Hands the referral from its upsert's function to the episode's: the writer computes a change's upserts in
     * order, and the referral's comes first.
     */
    static final class Handover {
        private ServiceRequest referral;

        ServiceRequest keep(ServiceRequest result) {
            referral = result;
            return result;
        }

        private ServiceRequest referral() {
            if (referral == null) {
                throw new IllegalStateException("the referral's upsert must be computed before its caseload episode's");
            }
            return referral;
        }
    }

    /** The update function for this message's EpisodeOfCare upsert; null (nothing to store) if there is no episode. */
    static Function<Optional<EpisodeOfCare>, EpisodeOfCare> update(Incoming in, Handover handover) {
        return stored -> {
            ServiceRequest referral = handover.referral();
            boolean onCaseload = referral.getStatus() == ServiceRequestStatus.ACTIVE && accepted(referral) && in.team().isPresent();
            if (stored.isEmpty()) {
                return onCaseload ? opened(in) : null;
            }
            EpisodeOfCare episode = stored.get().copy();
            if (episode.getStatus() == EpisodeOfCareStatus.ACTIVE) {
                if (ReferralEvents.CLOSED.contains(referral.getStatus())) {
                    episode.setStatus(EpisodeOfCareStatus.FINISHED);
                    episode.getPeriod().setEndElement(in.time().copy());
                } else if (onCaseload) {
                    episode.setTeam(List.of(in.team().get().copy()));
                }
            }
            return episode;
        };
    }

    private static EpisodeOfCare opened(Incoming in) {
        EpisodeOfCare episode = new EpisodeOfCare();
        episode.getMeta().addProfile(PROFILE);
        episode.addIdentifier(in.identifier().copy());
        episode.setStatus(EpisodeOfCareStatus.ACTIVE);
        episode.addType().addCoding(new Coding(TYPE_SYSTEM, TYPE, "On a trust community team's caseload"));
        episode.setPatient(in.patient().copy());
        episode.setManagingOrganization(in.trust().copy());
        episode.getPeriod().setStartElement(in.time().copy());
        episode.addReferralRequest(in.referral().copy());
        episode.addTeam(in.team().orElseThrow().copy());
        return episode;
    }

    private static boolean accepted(ServiceRequest referral) {
        return referral.getExtensionsByUrl(ReferralEvents.REFERRAL_STATUS_URL).stream()
                .map(extension -> (Coding) extension.getValue())
                .anyMatch(code -> "A".equals(code.getCode()));
    }
}
