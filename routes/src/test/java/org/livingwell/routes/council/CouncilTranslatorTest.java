package org.livingwell.routes.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.council.CouncilFixtures.COUNCIL;
import static org.livingwell.routes.council.CouncilFixtures.COUNCIL_NAME;
import static org.livingwell.routes.council.CouncilFixtures.EVENT_SYSTEM;
import static org.livingwell.routes.council.CouncilFixtures.NHS_SYSTEM;
import static org.livingwell.routes.council.CouncilFixtures.PERSON_SYSTEM;
import static org.livingwell.routes.council.CouncilFixtures.addEvent;
import static org.livingwell.routes.council.CouncilFixtures.addService;
import static org.livingwell.routes.store.Upserts.apply;
import static org.livingwell.routes.store.Upserts.applyRaw;
import static org.livingwell.routes.council.CouncilFixtures.caseJson;
import static org.livingwell.routes.store.Upserts.created;
import static org.livingwell.routes.council.CouncilFixtures.person;
import static org.livingwell.routes.store.Upserts.upsert;
import static org.livingwell.routes.council.CouncilFixtures.valid;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityComponent;
import org.hl7.fhir.r4.model.CarePlan.CarePlanActivityStatus;
import org.hl7.fhir.r4.model.CarePlan.CarePlanStatus;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Duration;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.HumanName.NameUse;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.hl7.fhir.r4.model.Task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.identity.PatientMergeRule;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.PatientMerge;
import org.livingwell.routes.store.Upsert;

class CouncilTranslatorTest {

    static final String MESSAGE_ID = "P100234@2026-11-20T09:30:00Z";
    static final String BASE = CouncilFixtures.BASE;
    static final String ETHNIC_CATEGORY_SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland";

    private final CouncilTranslator translator = new CouncilTranslator(COUNCIL, COUNCIL_NAME, CouncilFixtures.CLOCK);

    private RecordChange translate(ObjectNode json) {
        return translator.translate(valid(json), MESSAGE_ID);
    }

    // --- The change ---------------------------------------------------------------------------------------------

    @Test
    void namesTheFeedTheCouncilAndTheCaseInTheOrigin() {
        RecordChange change = translate(caseJson());

        assertThat(change.origin().feed()).isEqualTo("council-social-care");
        assertThat(change.origin().sender()).isEqualTo("Y9C01");
        assertThat(change.origin().messageId()).isEqualTo(MESSAGE_ID);
        assertThat(change.origin().sentAt()).as("the case's updatedAt").isEqualTo("2026-11-20T09:30:00Z");
        assertThat(change.upserts()).extracting(u -> (Object) u.type())
                .containsExactly(Organization.class, Patient.class, EpisodeOfCare.class, Task.class, Task.class, CarePlan.class);
        assertThat(change.notes()).isEmpty();
    }

    @Test
    void aCaseWithoutUpdatedAtIsDatedByItsLatestDay() {
        CouncilCase dated = valid(caseJson());
        CouncilCase undated = new CouncilCase(dated.personId(), dated.nhsNumber(), dated.familyName(), dated.givenName(),
                dated.dateOfBirth(), dated.gender(), dated.ethnicity(), dated.postcode(), dated.primarySupportReason(),
                Optional.empty(), dated.events());

        RecordChange change = translator.translate(undated, "B-2026-Q3:2");

        assertThat(change.origin().sentAt()).as("the service's start, the latest day of the case").isEqualTo("2026-02-09T00:00:00Z");
    }

    @Test
    void theCouncilIsCreatedOnceByOdsCode() {
        RecordChange change = translate(caseJson());
        Upsert<Organization> council = upsert(change, Organization.class);

        assertThat(council.search()).isEqualTo("Organization?identifier=https://fhir.nhs.uk/Id/ods-organization-code|Y9C01");
        assertThat(council.createOnly()).isTrue();
        Organization organization = created(change, Organization.class);
        assertThat(organization.getIdentifierFirstRep().getValue()).isEqualTo("Y9C01");
        assertThat(organization.getName()).isEqualTo(COUNCIL_NAME);
    }

    // --- Patient ------------------------------------------------------------------------------------------------

    @Test
    void thePatientWithAnNhsNumberIsFoundByItAndCarriesThePersonId() {
        RecordChange change = translate(caseJson());
        Patient patient = created(change, Patient.class);

        assertThat(upsert(change, Patient.class).search()).isEqualTo("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990000018");
        assertThat(patient.getMeta().hasProfile(BASE + "StructureDefinition/LWPatient")).isTrue();
        assertThat(patient.getIdentifier()).extracting(Identifier::getSystem, Identifier::getValue).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(NHS_SYSTEM, "9990000018"),
                org.assertj.core.groups.Tuple.tuple(PERSON_SYSTEM, "P100234"));
        assertThat(patient.getName()).singleElement().satisfies(name -> {
            assertThat(name.getUse()).isEqualTo(NameUse.OFFICIAL);
            assertThat(name.getFamily()).isEqualTo("Testperson");
            assertThat(name.getGivenAsSingleString()).isEqualTo("Sam");
        });
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1948-07-15");
        assertThat(patient.getGender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(patient.getAddress()).singleElement().satisfies(address -> assertThat(address.getPostalCode()).isEqualTo("SE11 5AA"));
        assertThat(patient.getMeta().getTag()).as("matched: no unmatched tag").isEmpty();
        assertThat(patient.getExtensionsByUrl(PatientMergeRule.ELEMENT_SOURCE))
                .anySatisfy(source -> assertThat(source.getExtensionString("feed")).isEqualTo("council-social-care"));
    }

    @Test
    void withAnNhsNumberTheChangeMergesThePatientKeptUnderThePersonId() {
        RecordChange change = translate(caseJson());

        PatientMerge merge = change.merge().orElseThrow();
        assertThat(merge.survivor()).isEqualTo(upsert(change, Patient.class).search());
        assertThat(merge.retired()).isEqualTo(translator.identifiers().unmatchedPersonSearch("P100234"));
        assertThat(merge.retired()).isEqualTo("Patient?identifier=https://fhir.livingwell.example/Id/council-person/Y9C01|P100234"
                + "&active:not=false&_tag=https://fhir.livingwell.example/CodeSystem/lw-match-status|unmatched");
    }

    @Test
    void withoutAnNhsNumberThePatientIsKeptUnderThePersonIdTaggedUnmatched() {
        ObjectNode json = caseJson();
        json.remove("nhsNumber");
        RecordChange change = translate(json);
        Patient patient = created(change, Patient.class);

        assertThat(upsert(change, Patient.class).search()).isEqualTo(
                "Patient?identifier=https://fhir.livingwell.example/Id/council-person/Y9C01|P100234&active:not=false");
        assertThat(upsert(change, Patient.class).search()).isEqualTo(translator.identifiers().activePersonSearch("P100234"));
        assertThat(change.merge()).as("nothing to merge").isEmpty();
        assertThat(patient.getIdentifier()).singleElement().satisfies(identifier -> {
            assertThat(identifier.getSystem()).isEqualTo(PERSON_SYSTEM);
            assertThat(identifier.getValue()).isEqualTo("P100234");
        });
        assertThat(patient.getMeta().getTag()).singleElement().satisfies(tag -> {
            assertThat(tag.getSystem()).isEqualTo(BASE + "CodeSystem/lw-match-status");
            assertThat(tag.getCode()).isEqualTo("unmatched");
        });
    }

    @Test
    void thePatientThatGainsTheNhsNumberLosesTheUnmatchedTag() {
        ObjectNode unmatched = caseJson();
        unmatched.remove("nhsNumber");
        Patient stored = created(translate(unmatched), Patient.class);

        Patient matched = apply(upsert(translate(caseJson()), Patient.class), stored);

        assertThat(matched.getIdentifier()).extracting(Identifier::getSystem).containsExactlyInAnyOrder(PERSON_SYSTEM, NHS_SYSTEM);
        assertThat(matched.getMeta().getTag()).isEmpty();
    }

    @Test
    void aCensusCategoryWithAnEnglandEquivalentIsTheUkCoreEthnicCategory() {
        Patient patient = created(translate(caseJson()), Patient.class);

        CodeableConcept ethnicity = (CodeableConcept) patient.getExtensionByUrl(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION).getValue();
        assertThat(ethnicity.getCoding()).singleElement().satisfies(coding -> {
            assertThat(coding.getSystem()).isEqualTo(ETHNIC_CATEGORY_SYSTEM);
            assertThat(coding.getCode()).isEqualTo("A");
            assertThat(coding.getDisplay()).isEqualTo("White - British");
        });
        assertThat(ethnicity.getText()).as("the census category, as the CodeSystem spells it")
                .isEqualTo("White - English, Welsh, Scottish, Northern Irish or British");

        ObjectNode wider = caseJson();
        wider.put("ethnicity", "white: any other white background");
        RecordChange change = translate(wider);
        CodeableConcept other = (CodeableConcept) created(change, Patient.class).getExtensionByUrl(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION).getValue();
        assertThat(other.getCodingFirstRep().getCode()).as("a wider England category").isEqualTo("C");
        assertThat(change.notes()).isEmpty();
    }

    @Test
    void aCensusCategoryWithoutAnEnglandEquivalentIsKeptAsTextAndNoted() {
        ObjectNode roma = caseJson();
        roma.put("ethnicity", "White: Roma");
        RecordChange change = translate(roma);

        CodeableConcept ethnicity = (CodeableConcept) created(change, Patient.class)
                .getExtensionByUrl(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION).getValue();
        assertThat(ethnicity.getText()).isEqualTo("White - Roma");
        assertThat(ethnicity.getCoding()).as("no UK Core ethnic category, the census coding (routes/README.md)")
                .singleElement().satisfies(coding -> {
                    assertThat(coding.getSystem()).isEqualTo(BASE + "CodeSystem/lw-census-2021-ethnicity");
                    assertThat(coding.getCode()).isEqualTo("white-roma");
                });
        assertThat(change.notes()).containsExactly("ethnicity \"White - Roma\" has no England ethnic category: kept as text");

        ObjectNode notCensus = caseJson();
        notCensus.put("ethnicity", "Cornish");
        RecordChange other = translate(notCensus);
        CodeableConcept kept = (CodeableConcept) created(other, Patient.class)
                .getExtensionByUrl(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION).getValue();
        assertThat(kept.getText()).isEqualTo("Cornish");
        assertThat(kept.getCoding()).isEmpty();
        assertThat(other.notes()).singleElement().asString().contains("not a 2021 census category").doesNotContain("Cornish");
    }

    @Test
    void aCaseWithoutEthnicityWritesNone() {
        ObjectNode json = caseJson();
        json.remove("ethnicity");

        assertThat(created(translate(json), Patient.class).hasExtension(PatientMergeRule.ETHNIC_CATEGORY_EXTENSION)).isFalse();
    }

    // --- EpisodeOfCare ------------------------------------------------------------------------------------------

    @Test
    void theEpisodeIsThePersonsInvolvementWithTheCouncil() {
        RecordChange change = translate(caseJson());
        EpisodeOfCare episode = created(change, EpisodeOfCare.class);

        assertThat(upsert(change, EpisodeOfCare.class).search()).isEqualTo(
                "EpisodeOfCare?identifier=https://fhir.livingwell.example/Id/council-episode/Y9C01|P100234");
        assertThat(episode.getMeta().hasProfile(BASE + "StructureDefinition/LWEpisodeOfCare")).isTrue();
        assertThat(episode.getIdentifierFirstRep().getValue()).isEqualTo("P100234");
        assertThat(episode.getType()).singleElement().satisfies(type -> {
            assertThat(type.getCodingFirstRep().getSystem()).isEqualTo(BASE + "CodeSystem/lw-episode-type");
            assertThat(type.getCodingFirstRep().getCode()).isEqualTo("council-social-care");
        });
        assertThat(episode.getManagingOrganization().getIdentifier().getValue()).isEqualTo("Y9C01");
        assertThat(episode.getManagingOrganization().getReference()).isEqualTo(upsert(change, Organization.class).reference());
        assertThat(episode.getPatient().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(episode.getPeriod().getStartElement().getValueAsString()).as("the first event's start").isEqualTo("2026-01-05");
        assertThat(episode.getStatus()).as("the service is open").isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(episode.getPeriod().hasEnd()).isFalse();
    }

    @Test
    void theEpisodeFinishesWhenTheLastEventEndsWithNoFurtherActionAndReopensOnALaterOpenEvent() {
        ObjectNode opened = person("P300001", "9990000026", "2026-03-10T08:00:00Z");
        addEvent(opened, "R1", "Request", "2026-03-02", "2026-03-04", "Progress to Assessment");
        addEvent(opened, "A1", "Assessment", "2026-03-09", null, null);
        EpisodeOfCare active = created(translate(opened), EpisodeOfCare.class);
        assertThat(active.getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);

        ObjectNode closed = person("P300001", "9990000026", "2026-04-01T08:00:00Z");
        addEvent(closed, "R1", "Request", "2026-03-02", "2026-03-04", "Progress to Assessment");
        addEvent(closed, "A1", "Assessment", "2026-03-09", "2026-03-30", "NFA - Support declined");
        EpisodeOfCare finished = apply(upsert(translate(closed), EpisodeOfCare.class), active);
        assertThat(finished.getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(finished.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-03-30");
        assertThat(finished.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-02");

        ObjectNode older = person("P300001", "9990000026", "2026-03-10T08:00:00Z");
        addEvent(older, "R1", "Request", "2026-03-02", "2026-03-04", "Progress to Assessment");
        addEvent(older, "A1", "Assessment", "2026-03-09", null, null);
        EpisodeOfCare stillFinished = apply(upsert(translate(older), EpisodeOfCare.class), finished);
        assertThat(stillFinished.getStatus()).as("a case older than the closure").isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(stillFinished.getPeriod().getEndElement().getValueAsString()).isEqualTo("2026-03-30");

        ObjectNode again = person("P300001", "9990000026", "2026-09-14T08:00:00Z");
        addEvent(again, "R2", "Request", "2026-09-14", null, null);
        EpisodeOfCare reopened = apply(upsert(translate(again), EpisodeOfCare.class), finished);
        assertThat(reopened.getStatus()).as("a later case with an open event").isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(reopened.getPeriod().hasEnd()).isFalse();
        assertThat(reopened.getPeriod().getStartElement().getValueAsString()).as("the first event known stays the start")
                .isEqualTo("2026-03-02");
    }

    @Test
    void anEpisodeWhoseLastEventEndedWithANextStepStaysActive() {
        ObjectNode json = person("P300002", null, "2026-05-01T08:00:00Z");
        addEvent(json, "R1", "Request", "2026-04-01", "2026-04-02", "NFA - Information & Advice / Signposting only");
        addEvent(json, "A1", "Assessment", "2026-04-06", "2026-04-20", "Progress to Support Planning / Services");

        EpisodeOfCare episode = created(translate(json), EpisodeOfCare.class);

        assertThat(episode.getStatus()).as("the last event to end decides, and it planned a next step")
                .isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(episode.getPeriod().hasEnd()).isFalse();
    }

    @Test
    void anEarlierEventInALaterCaseMovesTheStartBack() {
        ObjectNode first = person("P300003", null, "2026-05-01T08:00:00Z");
        addEvent(first, "A1", "Assessment", "2026-04-06", null, null);
        EpisodeOfCare stored = created(translate(first), EpisodeOfCare.class);

        ObjectNode fuller = person("P300003", null, "2026-05-02T08:00:00Z");
        addEvent(fuller, "R1", "Request", "2026-03-30", "2026-04-01", "Progress to Assessment");
        addEvent(fuller, "A1", "Assessment", "2026-04-06", null, null);
        EpisodeOfCare episode = apply(upsert(translate(fuller), EpisodeOfCare.class), stored);

        assertThat(episode.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-03-30");
        assertThat(episode.getIdentifier()).as("one identifier, however often written").hasSize(1);
    }

    // --- Tasks --------------------------------------------------------------------------------------------------

    @Test
    void requestsAssessmentsAndReviewsAreTasksKeyedOnTheEventId() {
        ObjectNode json = caseJson();
        addEvent(json, "EV-1004", "Review", "2026-11-02", null, null);
        RecordChange change = translate(json);

        List<Upsert<?>> tasks = change.upserts().stream().filter(u -> u.type() == Task.class).toList();
        assertThat(tasks).extracting(Upsert::search).containsExactly(
                "Task?identifier=https://fhir.livingwell.example/Id/council-event/Y9C01|EV-1001",
                "Task?identifier=https://fhir.livingwell.example/Id/council-event/Y9C01|EV-1002",
                "Task?identifier=https://fhir.livingwell.example/Id/council-event/Y9C01|EV-1004");

        Task request = (Task) applyRaw(tasks.get(0), Optional.empty());
        assertThat(request.getIdentifier()).singleElement().satisfies(identifier -> {
            assertThat(identifier.getSystem()).isEqualTo(EVENT_SYSTEM);
            assertThat(identifier.getValue()).isEqualTo("EV-1001");
        });
        assertThat(request.getStatus()).as("ended").isEqualTo(TaskStatus.COMPLETED);
        assertThat(request.getIntent()).isEqualTo(Task.TaskIntent.ORDER);
        assertThat(request.getCode().getCodingFirstRep().getSystem()).isEqualTo(BASE + "CodeSystem/lw-cld-event-type");
        assertThat(request.getCode().getCodingFirstRep().getCode()).isEqualTo("request");
        assertThat(request.getBusinessStatus().getCodingFirstRep().getSystem()).isEqualTo(BASE + "CodeSystem/lw-cld-event-outcome");
        assertThat(request.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("progress-to-assessment");
        assertThat(request.getBusinessStatus().getCodingFirstRep().getDisplay()).isEqualTo("Progress to Assessment");
        assertThat(request.getExecutionPeriod().getStartElement().getValueAsString()).isEqualTo("2026-01-05");
        assertThat(request.getExecutionPeriod().getEndElement().getValueAsString()).isEqualTo("2026-01-07");
        assertThat(request.getFor().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(request.getOwner().getIdentifier().getValue()).isEqualTo("Y9C01");
        assertThat(request.getReasonCode().getCodingFirstRep().getCode()).isEqualTo("physical-personal-care");

        Task assessment = (Task) applyRaw(tasks.get(1), Optional.empty());
        assertThat(assessment.getCode().getCodingFirstRep().getCode()).isEqualTo("assessment");
        assertThat(assessment.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("progress-to-support-planning");

        Task review = (Task) applyRaw(tasks.get(2), Optional.empty());
        assertThat(review.getStatus()).as("no end: still open").isEqualTo(TaskStatus.INPROGRESS);
        assertThat(review.getCode().getCodingFirstRep().getCode()).isEqualTo("review");
        assertThat(review.hasBusinessStatus()).isFalse();
        assertThat(review.getExecutionPeriod().getStartElement().getValueAsString()).isEqualTo("2026-11-02");
        assertThat(review.getExecutionPeriod().hasEnd()).isFalse();
    }

    @Test
    void anOlderSourceDoesNotReopenAnEndedTaskOrService() {
        ObjectNode ended = person("P300008", "9990000042", "2026-06-10T08:00:00Z");
        addEvent(ended, "A8", "Assessment", "2026-05-20", "2026-06-08", "Progress to Support Planning / Services");
        addService(ended, "S8", "Long Term Support: Community", "2026-05-01", "2026-06-30", null, null, null, null);
        RecordChange newer = translate(ended);
        Task storedTask = created(newer, Task.class);
        CarePlan storedPlan = created(newer, CarePlan.class);

        // A quarterly file from before the ends, applied after them.
        ObjectNode older = person("P300008", "9990000042", "2026-05-25T08:00:00Z");
        addEvent(older, "A8", "Assessment", "2026-05-20", null, null);
        addService(older, "S8", "Long Term Support: Community", "2026-05-01", null, null, null, null, null);
        RecordChange late = translate(older);
        Task task = apply(upsert(late, Task.class), storedTask);
        CarePlan plan = apply(upsert(late, CarePlan.class), storedPlan);

        assertThat(task.getStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.getExecutionPeriod().getEndElement().getValueAsString()).isEqualTo("2026-06-08");
        assertThat(plan.getActivityFirstRep().getDetail().getStatus()).isEqualTo(CarePlanActivityStatus.COMPLETED);
        assertThat(plan.getActivityFirstRep().getDetail().getScheduledPeriod().getEndElement().getValueAsString()).isEqualTo("2026-06-30");
        assertThat(plan.getStatus()).isEqualTo(CarePlanStatus.COMPLETED);
    }

    @Test
    void theSameEventLaterCompletesItsTask() {
        ObjectNode open = person("P300004", "9990000042", "2026-06-01T08:00:00Z");
        addEvent(open, "A7", "Assessment", "2026-05-20", null, null);
        Task stored = (Task) applyRaw(upsert(translate(open), Task.class), Optional.empty());

        ObjectNode ended = person("P300004", "9990000042", "2026-06-10T08:00:00Z");
        addEvent(ended, "A7", "Assessment", "2026-05-20", "2026-06-08", "NFA - Support declined");
        Task task = apply(upsert(translate(ended), Task.class), stored);

        assertThat(task.getStatus()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(task.getBusinessStatus().getCodingFirstRep().getCode()).isEqualTo("nfa-support-declined");
        assertThat(task.getExecutionPeriod().getEndElement().getValueAsString()).isEqualTo("2026-06-08");
        assertThat(task.getIdentifier()).hasSize(1);
    }

    // --- Support plan -------------------------------------------------------------------------------------------

    @Test
    void theSupportPlanHasAnActivityPerServiceEvent() {
        RecordChange change = translate(caseJson());
        CarePlan plan = created(change, CarePlan.class);

        assertThat(upsert(change, CarePlan.class).search()).isEqualTo(
                "CarePlan?identifier=https://fhir.livingwell.example/Id/council-support-plan/Y9C01|P100234");
        assertThat(plan.getMeta().hasProfile(BASE + "StructureDefinition/LWCarePlan")).isTrue();
        assertThat(plan.getIntent()).isEqualTo(CarePlan.CarePlanIntent.PLAN);
        assertThat(plan.getCategoryFirstRep().getCodingFirstRep().getCode()).isEqualTo("care-and-support-plan");
        assertThat(plan.getSubject().getReference()).isEqualTo(upsert(change, Patient.class).reference());
        assertThat(plan.getAuthor().getIdentifier().getValue()).isEqualTo("Y9C01");
        assertThat(plan.getStatus()).as("the service is provided").isEqualTo(CarePlanStatus.ACTIVE);
        assertThat(plan.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-02-09");
        assertThat(plan.getPeriod().hasEnd()).isFalse();

        assertThat(plan.getActivity()).singleElement().satisfies(activity -> {
            assertThat(activity.getId()).isEqualTo("event-EV-1003");
            Coding code = activity.getDetail().getCode().getCodingFirstRep();
            assertThat(code.getSystem()).isEqualTo(BASE + "CodeSystem/lw-cld-service-type");
            assertThat(code.getCode()).isEqualTo("long-term-community");
            assertThat(code.getDisplay()).isEqualTo("Long Term Support: Community");
            assertThat(activity.getDetail().getStatus()).isEqualTo(CarePlanActivityStatus.INPROGRESS);
            assertThat(activity.getDetail().getScheduledPeriod().getStartElement().getValueAsString()).isEqualTo("2026-02-09");
            assertThat(activity.getDetail().getScheduledPeriod().hasEnd()).isFalse();
            assertThat(activity.getDetail().getDescription()).isEqualTo("Home Support; Direct Payment");
            assertThat(activity.getDetail().getQuantity().getValue()).isEqualByComparingTo("10");
        });
    }

    @Test
    void aCaseWithoutServicesWritesNoSupportPlan() {
        ObjectNode json = person("P300005", null, "2026-05-01T08:00:00Z");
        addEvent(json, "R1", "Request", "2026-04-01", null, null);

        assertThat(translate(json).upserts()).extracting(u -> (Object) u.type()).doesNotContain(CarePlan.class);
    }

    @Test
    void anotherCasesServiceIsAddedAndThePlanCompletesWhenEveryServiceHasEnded() {
        ObjectNode first = person("P300006", "9990000026", "2026-03-01T08:00:00Z");
        addService(first, "S1", "Long Term Support: Community", "2026-02-02", null, null, null, null, null);
        CarePlan stored = created(translate(first), CarePlan.class);

        ObjectNode second = person("P300006", "9990000026", "2026-04-01T08:00:00Z");
        addService(second, "S0", "Short Term Support: ST-Max", "2026-01-05", "2026-01-30", null, null, null, null)
                .put("outcome", "Progress to Support Planning / Services");
        CarePlan both = apply(upsert(translate(second), CarePlan.class), stored);

        assertThat(both.getActivity()).extracting(CarePlanActivityComponent::getId).as("by start")
                .containsExactly("event-S0", "event-S1");
        assertThat(both.getActivity()).extracting(activity -> activity.getDetail().getStatus())
                .containsExactly(CarePlanActivityStatus.COMPLETED, CarePlanActivityStatus.INPROGRESS);
        assertThat(both.getStatus()).as("S1 still provided").isEqualTo(CarePlanStatus.ACTIVE);
        assertThat(both.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-01-05");
        assertThat(both.getPeriod().hasEnd()).isFalse();

        ObjectNode third = person("P300006", "9990000026", "2026-09-01T08:00:00Z");
        addService(third, "S1", "Long Term Support: Community", "2026-02-02", "2026-08-28", null, null, null, null)
                .put("outcome", "Service ended as planned");
        CarePlan ended = apply(upsert(translate(third), CarePlan.class), both);

        assertThat(ended.getActivity()).as("the same event replaces its activity").hasSize(2)
                .allSatisfy(activity -> assertThat(activity.getDetail().getStatus()).isEqualTo(CarePlanActivityStatus.COMPLETED));
        assertThat(ended.getActivity().get(1).getDetail().getScheduledPeriod().getEndElement().getValueAsString()).isEqualTo("2026-08-28");
        assertThat(ended.getStatus()).isEqualTo(CarePlanStatus.COMPLETED);
        assertThat(ended.getPeriod().getEndElement().getValueAsString()).as("the last service's end").isEqualTo("2026-08-28");
        assertThat(ended.getIdentifier()).hasSize(1);
        assertThat(ended.getCategory()).hasSize(1);
    }

    @Test
    void aServiceWithAPlannedEndAfterTodayIsStillProvided() {
        // The contract takes an end date after today (CaseInput.endDate is @IsoDate(future = true): "a planned end").
        ObjectNode json = person("P300007", "9990000018", "2026-11-20T08:00:00Z");
        addService(json, "S7", "Short Term Support: ST-Max", "2026-11-09", "2026-12-18", null, null, null, null)
                .put("outcome", "Service ended as planned");
        RecordChange change = translate(json);

        CarePlan plan = created(change, CarePlan.class);
        assertThat(plan.getActivityFirstRep().getDetail().getStatus()).isEqualTo(CarePlanActivityStatus.INPROGRESS);
        assertThat(plan.getStatus()).isEqualTo(CarePlanStatus.ACTIVE);
        assertThat(created(change, EpisodeOfCare.class).getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);
    }

    // --- Personal budgets ---------------------------------------------------------------------------------------

    @Test
    void aDirectPaymentAtAnHourlyRateIsAWeeklyBudget() {
        RecordChange change = translate(caseJson());
        Extension budget = budgetOf(created(change, CarePlan.class).getActivityFirstRep()).orElseThrow();

        assertAmount(budget, "150.00");
        assertPerWeeks(budget, 1);
        CodeableConcept mechanism = (CodeableConcept) budget.getExtensionByUrl("deliveryMechanism").getValue();
        assertThat(mechanism.getCodingFirstRep().getSystem()).isEqualTo(BASE + "CodeSystem/lw-delivery-mechanism");
        assertThat(mechanism.getCodingFirstRep().getCode()).isEqualTo("direct-payment");
        assertThat(mechanism.getCodingFirstRep().getDisplay()).isEqualTo("Direct payment");
        assertThat(change.notes()).isEmpty();
    }

    @Test
    void aCouncilManagedBudgetAtAWeeklyCost() {
        CarePlan plan = planOf(service("CASSR Managed Personal Budget", "200", "Weekly", "1"));
        Extension budget = budgetOf(plan.getActivityFirstRep()).orElseThrow();

        assertAmount(budget, "200.00");
        assertPerWeeks(budget, 1);
        assertThat(((CodeableConcept) budget.getExtensionByUrl("deliveryMechanism").getValue()).getCodingFirstRep().getCode())
                .isEqualTo("council-managed");
    }

    @Test
    void aMonthlyCostIsAMonthlyBudgetAndASessionRateAWeeklyOne() {
        Extension monthly = budgetOf(planOf(service("Direct Payment", "812.5", "Monthly", null)).getActivityFirstRep()).orElseThrow();
        assertAmount(monthly, "812.50");
        Duration month = (Duration) monthly.getExtensionByUrl("frequency").getValue();
        assertThat(month.getValue()).isEqualByComparingTo("1");
        assertThat(month.getCode()).isEqualTo("mo");

        Extension sessions = budgetOf(planOf(service("Direct Payment", "40", "Per session", "3")).getActivityFirstRep()).orElseThrow();
        assertAmount(sessions, "120.00");
        assertPerWeeks(sessions, 1);
    }

    @Test
    void commissionedSupportIsNoPersonalBudget() {
        ObjectNode json = service("CASSR Commissioned Support", "22.50", "Hourly", "8");
        RecordChange change = translate(json);

        assertThat(budgetOf(created(change, CarePlan.class).getActivityFirstRep())).isEmpty();
        assertThat(change.notes()).isEmpty();
    }

    @Test
    void aOneOffDirectPaymentIsNoBudgetAndIsNoted() {
        RecordChange change = translate(service("Direct Payment", "500", "One-off", null));

        assertThat(budgetOf(created(change, CarePlan.class).getActivityFirstRep())).isEmpty();
        assertThat(change.notes()).singleElement().asString()
                .startsWith("service event S9 is a personal budget without a unit cost and cost frequency that give an amount per period");
    }

    @Test
    void aSessionRateWithoutPlannedUnitsIsNoBudgetAndIsNoted() {
        RecordChange change = translate(service("Direct Payment", "16.40", "Per session", null));

        assertThat(budgetOf(created(change, CarePlan.class).getActivityFirstRep())).isEmpty();
        assertThat(change.notes()).singleElement().asString().startsWith("service event S9 is a personal budget");
    }

    @Test
    void anHourlyOrDailyRateWithoutPlannedUnitsIsNoBudgetAndIsNoted() {
        for (String frequency : List.of("Hourly", "Daily")) {
            RecordChange change = translate(service("Direct Payment", "16.40", frequency, null));

            assertThat(budgetOf(created(change, CarePlan.class).getActivityFirstRep())).as(frequency).isEmpty();
            assertThat(change.notes()).as(frequency).singleElement().asString().startsWith("service event S9 is a personal budget");
        }
    }

    // --- Idempotence --------------------------------------------------------------------------------------------

    @Test
    void everyUpdateAppliedToWhatItWroteChangesNothing() {
        ObjectNode unmatched = caseJson();
        unmatched.remove("nhsNumber");
        ObjectNode roma = caseJson();
        roma.put("ethnicity", "White - Roma");
        ObjectNode closed = person("P300001", "9990000026", "2026-04-01T08:00:00Z");
        addEvent(closed, "R1", "Request", "2026-03-02", "2026-03-04", "Progress to Assessment");
        addEvent(closed, "A1", "Assessment", "2026-03-09", "2026-03-30", "NFA - Support declined");
        addService(closed, "S1", "Short Term Support: ST-Max", "2026-02-02", "2026-03-01", "CASSR Managed Personal Budget",
                "180", "Weekly", null).put("outcome", "Service ended as planned");
        addService(closed, "S2", "Long Term Support: Community", "2026-02-09", "2026-03-30", "Direct Payment",
                "16.40", "Hourly", "7.5").put("outcome", "NFA - Support declined");

        for (ObjectNode json : List.of(caseJson(), unmatched, roma, closed)) {
            RecordChange change = translate(json);
            for (Upsert<?> upsert : change.upserts()) {
                Resource first = applyRaw(upsert, Optional.empty());
                Resource second = applyRaw(upsert, Optional.of(first.copy()));
                assertThat(second.equalsDeep(first)).as("%s of %s", upsert.type().getSimpleName(), json.get("personId")).isTrue();
            }
        }
    }

    @Test
    void theSameCaseFromAnotherTranslationLeavesThePatientAsItWas() {
        Patient patient = created(translate(caseJson()), Patient.class);

        Patient again = apply(upsert(translate(caseJson()), Patient.class), patient);

        assertThat(again.equalsDeep(patient)).isTrue();
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    /** A person with one home-care service S9 still provided, taken by this delivery mechanism at this cost. */
    private static ObjectNode service(String mechanism, String unitCost, String frequency, String unitsPerWeek) {
        ObjectNode json = person("P300009", "9990000042", "2026-10-01T08:00:00Z");
        addService(json, "S9", "Long Term Support: Community", "2026-09-07", null, mechanism, unitCost, frequency, unitsPerWeek);
        return json;
    }

    private CarePlan planOf(ObjectNode json) {
        return created(translate(json), CarePlan.class);
    }

    private static Optional<Extension> budgetOf(CarePlanActivityComponent activity) {
        assertThat(activity.getDetail().getExtensionsByUrl(CouncilTranslator.PERSONAL_BUDGET)).hasSizeLessThanOrEqualTo(1);
        return Optional.ofNullable(activity.getDetail().getExtensionByUrl(BASE + "StructureDefinition/LWPersonalBudget"));
    }

    private static void assertAmount(Extension budget, String amount) {
        Money money = (Money) budget.getExtensionByUrl("amount").getValue();
        assertThat(money.getValue()).isEqualTo(new BigDecimal(amount));
        assertThat(money.getCurrency()).isEqualTo("GBP");
    }

    private static void assertPerWeeks(Extension budget, int weeks) {
        Duration per = (Duration) budget.getExtensionByUrl("frequency").getValue();
        assertThat(per.getValue()).isEqualByComparingTo(String.valueOf(weeks));
        assertThat(per.getSystem()).isEqualTo("http://unitsofmeasure.org");
        assertThat(per.getCode()).isEqualTo("wk");
    }
}
