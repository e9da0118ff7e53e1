package org.livingwell.routes.council;

import org.livingwell.routes.store.Upsert;

/**
 * The identifier systems of what the council feed writes, each in the council's namespace (its ODS code), so two
 * councils' person 42 are two people: e.g. {@code https://fhir.livingwell.example/Id/council-person/Y9C01}.
 */
public record CouncilIdentifiers(String councilOds) {

    static final String BASE = "https://fhir.livingwell.example/Id/";

    /** The council's person id (CLD {@code LA_Person_ID}), on the Patient. */
    public String personSystem() {
        return BASE + "council-person/" + councilOds;
    }

    /** The council's event id (CLD {@code Event_Reference}), on each Task. */
    public String eventSystem() {
        return BASE + "council-event/" + councilOds;
    }

    /** The person id again, on the person's social-care EpisodeOfCare. */
    public String episodeSystem() {
        return BASE + "council-episode/" + councilOds;
    }

    /** The person id again, on the person's support plan (CarePlan). */
    public String supportPlanSystem() {
        return BASE + "council-support-plan/" + councilOds;
    }

    /**
     * The Patient the council's person id names, leaving out a Patient merged into another ({@code active=false}): the
     * survivor of a merge carries the person id too.
     */
    public String activePersonSearch(String personId) {
        return Upsert.byIdentifier("Patient", personSystem(), personId) + "&active:not=false";
    }

    /** The Patient kept under the person id while it had no NHS number, if it has not been merged yet. */
    public String unmatchedPersonSearch(String personId) {
        return activePersonSearch(personId) + "&_tag=" + CouncilTranslator.UNMATCHED.getSystem() + "|" + CouncilTranslator.UNMATCHED.getCode();
    }
}
