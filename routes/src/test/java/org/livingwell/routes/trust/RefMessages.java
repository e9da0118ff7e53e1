package org.livingwell.routes.trust;

import java.util.Optional;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upsert;
import org.livingwell.routes.trust.hl7.Hl7Fixtures;

/**
 * Synthetic REF messages from a made-up trust (ODS code RV5) as UK EPRs send them (MSH, RF1, PRD, PID, PD1, DG1, PV1,
 * NTE, a Z-segment): made-up people, NHS numbers from the 999 test range, made-up practice (Y99999) and teams.
 */
final class RefMessages {

    static final String REFERRAL_ID = "REF0001";
    static final String REFERRAL_SEARCH = "ServiceRequest?identifier=https://fhir.livingwell.example/Id/rv5/referral-id|" + REFERRAL_ID;
    static final String EPISODE_SEARCH = "EpisodeOfCare?identifier=https://fhir.livingwell.example/Id/rv5/referral-episode|" + REFERRAL_ID;
    /** A GP (GMP code) at the practice the patient is registered with. */
    static final String REFERRER = "PRD|RP^Referring Provider^HL70286|SMITH^JANE^^^DR|||||G1234567^GMP~Y99999^ODS";
    /** The single point of access, one of the trust's teams. */
    static final String SPA = "PRD|RT^Referred to Provider^HL70286|Single Point of Access|||||SPA^TEAM";
    static final String DG1 = "DG1|1||F20.0^Paranoid schizophrenia^I10";
    static final String NOTE = "NTE|1||Referred after review in surgery";

    private RefMessages() {}

    static String msh(String trigger, String version, String controlId) {
        return "MSH|^~\\&|TRUSTEPR|RV5|LWGATEWAY|LWNA|20240315093000||REF^" + trigger + "^REF_I12|" + controlId + "|P|" + version;
    }

    /**
     * RF1 for referral {@link #REFERRAL_ID}: RF1-1 and RF1-2 as given, psychiatric (RF1-3), outpatient (RF1-5),
     * effective 2024-03-14 10:00 (RF1-7), processed 2024-03-15 (RF1-9), for a second opinion (RF1-10), e-RS UBRN (RF1-11).
     */
    static String rf1(String status, String priority) {
        return "RF1|" + status + "|" + priority + "|Psy^Psychiatric^HL70281||O^Outpatient^HL70284|" + REFERRAL_ID
                + "^RV5|20240314100000||20240315|S^Second Opinion^HL70336|000000000001^ERS";
    }

    /** MSH (v2.5.1, control ID C-trigger) and the segments given, CR-separated. */
    static String message(String trigger, String... segments) {
        return msh(trigger, "2.5.1", "C-" + trigger) + "\r" + String.join("\r", segments);
    }

    /** The referral as a UK EPR sends it, with RF1-1 as given and an urgent priority. */
    static String typical(String trigger, String status) {
        return message(trigger, rf1(status, "U^Urgent"), REFERRER, SPA, AdtMessages.PID, AdtMessages.PD1, DG1, "PV1|1|O",
                NOTE, "ZRF|1|LOCAL");
    }

    static RecordChange translate(String message) {
        return new RefTranslator().translate(Hl7Fixtures.parse(message));
    }

    /** The ServiceRequest the change gives when applied to what is stored (null: nothing stored). */
    static ServiceRequest referral(RecordChange change, ServiceRequest stored) {
        return AdtMessages.upsert(change, ServiceRequest.class).update().apply(Optional.ofNullable(stored).map(ServiceRequest::copy));
    }

    /** The referral, then the caseload episode the change gives (null: none); the episode follows the referral. */
    static EpisodeOfCare episode(RecordChange change, ServiceRequest storedReferral, EpisodeOfCare storedEpisode) {
        referral(change, storedReferral);
        Upsert<EpisodeOfCare> episode = AdtMessages.upsert(change, EpisodeOfCare.class);
        return episode.update().apply(Optional.ofNullable(storedEpisode).map(EpisodeOfCare::copy));
    }

    static boolean hasEpisode(RecordChange change) {
        return change.upserts().stream().anyMatch(upsert -> upsert.type() == EpisodeOfCare.class);
    }
}
