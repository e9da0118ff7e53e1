package org.livingwell.routes.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.council.CouncilFixtures.COUNCIL;
import static org.livingwell.routes.council.CouncilFixtures.COUNCIL_NAME;
import static org.livingwell.routes.council.CouncilFixtures.addEvent;
import static org.livingwell.routes.council.CouncilFixtures.addService;
import static org.livingwell.routes.store.Upserts.applyRaw;
import static org.livingwell.routes.council.CouncilFixtures.caseJson;
import static org.livingwell.routes.council.CouncilFixtures.person;
import static org.livingwell.routes.council.CouncilFixtures.valid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingwell.routes.store.ProfileFixtures;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.Upserts;
import org.livingwell.routes.store.Upsert;

/**
 * What the council feed writes conforms to the Living Well profiles: every resource each upsert would create from a
 * realistic case, and what later cases make of them, validated as the store would (LW profile for the type, core FHIR
 * for the Task). References are the urn:uuid placeholders the store replaces.
 */
class CouncilFeedConformanceTest {

    private final CouncilTranslator translator = new CouncilTranslator(COUNCIL, COUNCIL_NAME, CouncilFixtures.CLOCK);

    /**
     * A person's year with the council: a request, an assessment, reablement that ended, then home care taken as a direct
     * payment at an hourly rate, day support as a council-managed budget, meals commissioned by the council, and a review.
     */
    static ObjectNode fullCase(String nhsNumber) {
        ObjectNode json = person("P400100", nhsNumber, "2026-11-02T14:05:00Z");
        addEvent(json, "R-9001", "Request", "2026-01-05", "2026-01-06", "Progress to Reablement/ST-Max");
        addService(json, "S-9002", "Short Term Support: ST-Max", "2026-01-08", "2026-02-13", null, null, null, null)
                .put("serviceComponent", "Reablement").put("outcome", "Progress to Assessment");
        addEvent(json, "A-9003", "Assessment", "2026-02-16", "2026-03-06", "Progress to Support Planning / Services");
        addService(json, "S-9004", "Long Term Support: Community", "2026-03-09", null, "Direct Payment", "16.40", "Hourly", "7.5")
                .put("serviceComponent", "Home care");
        addService(json, "S-9005", "Long Term Support: Community", "2026-03-09", null, "CASSR Managed Personal Budget",
                "650", "Monthly", null).put("serviceComponent", "Day Support");
        addService(json, "S-9006", "Long Term Support: Community", "2026-03-16", null, "CASSR Commissioned Support",
                "5.20", "Daily", "7").put("serviceComponent", "Meals");
        addEvent(json, "V-9007", "Review", "2026-09-14", null, null);
        return json;
    }

    /** Everything ended, the last with no further action; a Roma ethnicity (no England category). */
    static ObjectNode closedCase() {
        ObjectNode json = person("P400200", "9990000034", "2026-07-01T10:00:00Z");
        json.put("ethnicity", "White - Roma");
        json.put("gender", "Not stated");
        addEvent(json, "R-9101", "Request", "2026-04-01", "2026-04-02", "Progress to Assessment");
        addEvent(json, "A-9102", "Assessment", "2026-04-06", "2026-04-24", "Progress to Support Planning / Services");
        addService(json, "S-9103", "Short Term Support: Other Short Term", "2026-04-27", "2026-06-26", "Direct Payment",
                "500", "One-off", null).put("outcome", "NFA - Support ended: Other reason");
        return json;
    }

    /** A request only: no NHS number, not a census ethnicity, no support plan. */
    static ObjectNode requestOnly() {
        ObjectNode json = person("P400300", null, "2026-11-20T16:45:00Z");
        json.put("ethnicity", "Cornish");
        json.put("primarySupportReason", "Unknown");
        addEvent(json, "R-9201", "Request", "2026-11-19", null, null);
        return json;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("with NHS number, services and budgets", (Supplier<ObjectNode>) () -> fullCase("9990000018")),
                Arguments.of("without NHS number, services and budgets", (Supplier<ObjectNode>) () -> fullCase(null)),
                Arguments.of("the API's sample case", (Supplier<ObjectNode>) CouncilFixtures::caseJson),
                Arguments.of("closed, one-off direct payment, Roma", (Supplier<ObjectNode>) CouncilFeedConformanceTest::closedCase),
                Arguments.of("a request only, unmatched, not a census ethnicity", (Supplier<ObjectNode>) CouncilFeedConformanceTest::requestOnly));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyResourceOfACaseConforms(String description, Supplier<ObjectNode> json) {
        RecordChange change = translator.translate(valid(json.get()), "conformance:" + description);
        List<Resource> created = change.upserts().stream().map(upsert -> applyRaw(upsert, Optional.empty())).toList();

        assertThat(created).hasSize(change.upserts().size()).doesNotContainNull();
        assertThat(errorsIn(created)).isEmpty();
    }

    @Test
    void theFullCaseWritesWhatTheProfilesAreAbout() {
        // So that the conformance above covers budgets and both kinds of Patient: the sample holds them.
        for (String nhsNumber : new String[] {"9990000018", null}) {
            RecordChange change = translator.translate(valid(fullCase(nhsNumber)), "conformance");
            List<Resource> created = change.upserts().stream().map(upsert -> applyRaw(upsert, Optional.empty())).toList();

            CarePlan plan = created.stream().filter(CarePlan.class::isInstance).map(CarePlan.class::cast).findFirst().orElseThrow();
            assertThat(plan.getActivity()).hasSize(4);
            assertThat(plan.getActivity()).filteredOn(activity -> activity.getDetail().hasExtension(CouncilTranslator.PERSONAL_BUDGET))
                    .hasSize(2);
            assertThat(created).filteredOn(Task.class::isInstance).hasSize(3);
            Patient patient = created.stream().filter(Patient.class::isInstance).map(Patient.class::cast).findFirst().orElseThrow();
            assertThat(patient.getMeta().hasTag()).isEqualTo(nhsNumber == null);
        }
    }

    @Test
    void theRecordConformsThroughAPersonsLife() {
        // Unmatched with an open request; matched with services; everything ended with no further action; back again.
        ObjectNode unmatched = person("P400100", null, "2026-01-05T12:00:00Z");
        addEvent(unmatched, "R-9001", "Request", "2026-01-05", null, null);
        ObjectNode ended = fullCase("9990000018");
        ended.put("updatedAt", "2026-11-10T09:00:00Z");
        for (int i = 0; i < ended.withArray("events").size(); i++) {
            ObjectNode event = CouncilFixtures.event(ended, i);
            if (!event.has("endDate")) {
                event.put("endDate", "2026-11-06");
                event.put("outcome", "NFA - Moved to another LA");
            }
        }
        ObjectNode reopened = ended.deepCopy();
        reopened.put("updatedAt", "2026-11-23T09:00:00Z");
        addEvent(reopened, "R-9008", "Request", "2026-11-23", null, null);

        Map<String, Resource> record = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        for (ObjectNode json : List.of(unmatched, fullCase("9990000018"), ended, reopened)) {
            RecordChange change = translator.translate(valid(json), "life");
            List<Resource> written = new ArrayList<>();
            for (Upsert<?> upsert : change.upserts()) {
                // The unmatched Patient is found again by the person id: the store's merge made it one with the matched.
                String key = upsert.type() == Patient.class ? "Patient" : upsert.search();
                Optional<Resource> stored = Optional.ofNullable(record.get(key)).map(Resource::copy);
                Resource result = applyRaw(upsert, stored);
                record.put(key, result);
                written.add(result);
            }
            errors.addAll(errorsIn(written));
        }

        assertThat(errors).isEmpty();
        EpisodeOfCare episode = (EpisodeOfCare) record.get(
                "EpisodeOfCare?identifier=https://fhir.livingwell.example/Id/council-episode/Y9C01|P400100");
        assertThat(episode.getStatus()).as("reopened by the last request").isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        CarePlan plan = (CarePlan) record.get("CarePlan?identifier=https://fhir.livingwell.example/Id/council-support-plan/Y9C01|P400100");
        assertThat(plan.getStatus()).as("every service ended").isEqualTo(CarePlan.CarePlanStatus.COMPLETED);
        assertThat(plan.getActivity()).hasSize(4);
        Extension budget = plan.getActivity().stream().map(activity -> activity.getDetail().getExtensionByUrl(CouncilTranslator.PERSONAL_BUDGET))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
        assertThat(budget.getExtension()).hasSize(3);
    }

    @Test
    void aBudgetWithoutItsAmountWouldBeCaught() {
        // The check above can fail: the same support plan with a budget lacking its amount does not conform.
        RecordChange change = translator.translate(valid(fullCase("9990000018")), "conformance");
        CarePlan plan = Upserts.created(change, CarePlan.class);
        plan.getActivity().stream().map(activity -> activity.getDetail().getExtensionByUrl(CouncilTranslator.PERSONAL_BUDGET))
                .filter(java.util.Objects::nonNull).findFirst().orElseThrow()
                .getExtension().removeIf(part -> part.getUrl().equals("amount"));

        assertThat(errorsIn(List.of(plan))).isNotEmpty();
    }

    private static List<String> errorsIn(List<Resource> resources) {
        List<String> errors = new ArrayList<>();
        for (Resource resource : resources) {
            ProfileFixtures.errors(ProfileFixtures.validator().validateAgainstProfile(resource))
                    .forEach(error -> errors.add(resource.fhirType() + " " + error));
        }
        return errors;
    }
}
