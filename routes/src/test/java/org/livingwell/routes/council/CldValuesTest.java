package org.livingwell.routes.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;
import org.livingwell.routes.council.CldValues.Concept;

/** The CLD value lists as councils spell their values. */
class CldValuesTest {

    private static final String CLD = "https://fhir.livingwell.example/CodeSystem/";

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"short term support - st-max", "Short Term Support: ST-Max", "SHORT TERM SUPPORT ST MAX",
            "  short-term support: st max.", "short-term-st-max"})
    void aServiceTypeIsFoundHoweverTheCouncilSpellsIt(String spelling) {
        Concept concept = CldValues.SERVICE_TYPE.find(spelling).orElseThrow();

        assertThat(concept.code()).isEqualTo("short-term-st-max");
        assertThat(concept.display()).isEqualTo("Short Term Support: ST-Max");
        assertThat(concept.system()).isEqualTo(CLD + "lw-cld-service-type");
    }

    @Test
    void primarySupportReasonsByDisplayDesignationAndUnknown() {
        assertThat(CldValues.PRIMARY_SUPPORT_REASON.find("mental health support")).map(Concept::code).contains("mental-health");
        assertThat(CldValues.PRIMARY_SUPPORT_REASON.find("Physical Support: Access & mobility only")).as("a designation")
                .map(Concept::code).contains("physical-access-mobility");
        assertThat(CldValues.PRIMARY_SUPPORT_REASON.find("physical support - access and mobility only"))
                .map(Concept::code).contains("physical-access-mobility");
        Concept unknown = CldValues.PRIMARY_SUPPORT_REASON.find("Unknown").orElseThrow();
        assertThat(unknown.code()).isEqualTo("unknown");
        assertThat(unknown.display()).isEqualTo("PSR Not Known");
        assertThat(CldValues.PRIMARY_SUPPORT_REASON.find("psr not known")).contains(unknown);
    }

    @ParameterizedTest(name = "{0}: \"{1}\" -> {2}")
    @CsvSource(delimiter = '|', value = {
            "lw-cld-event-type         | referral                                                    | request",
            "lw-cld-event-type         | ASSESSMENT                                                  | assessment",
            "lw-cld-service-component  | Domiciliary care                                            | home-support",
            "lw-cld-delivery-mechanism | cassr managed personal budget                               | cassr-managed-personal-budget",
            "lw-cld-delivery-mechanism | Direct Payment only                                         | direct-payment",
            "lw-cld-event-outcome      | nfa: information and advice or signposting                  | nfa-information-and-advice",
            "lw-cld-cost-frequency     | four weekly                                                 | four-weekly",
            "lw-cld-cost-frequency     | one-off                                                     | one-off",
            "lw-census-2021-ethnicity  | White: English, Welsh, Scottish, Northern Irish or British  | white-british",
            "lw-census-2021-ethnicity  | white british                                               | white-british",
            "lw-census-2021-ethnicity  | Not stated                                                  | refused"})
    void everyListTakesItsSpellings(String list, String spelling, String code) {
        assertThat(CldValues.byId(list).find(spelling)).map(Concept::code).contains(code);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"Long Term Support: Hospital", "ST-Max", "-", "short term support"})
    void aValueNotInTheListFindsNothing(String spelling) {
        assertThat(CldValues.SERVICE_TYPE.find(spelling)).isEmpty();
    }

    @Test
    void everyConceptIsFoundByItsDisplayAndItsCode() {
        for (CldValues values : List.of(CldValues.EVENT_TYPE, CldValues.SERVICE_TYPE, CldValues.SERVICE_COMPONENT,
                CldValues.DELIVERY_MECHANISM, CldValues.EVENT_OUTCOME, CldValues.COST_FREQUENCY,
                CldValues.PRIMARY_SUPPORT_REASON, CldValues.CENSUS_ETHNICITY)) {
            assertThat(values.concepts()).as(values.id()).isNotEmpty().allSatisfy(concept -> {
                assertThat(values.find(concept.display())).as(concept.display()).contains(concept);
                assertThat(values.find(concept.code())).as(concept.code()).contains(concept);
                assertThat(concept.system()).isEqualTo(CLD + values.id());
            });
            assertThat(CldValues.byId(values.id())).isSameAs(values);
        }
    }

    @Test
    void anNfaOutcomeClosesAndAProgressOneDoesNot() {
        assertThat(CldValues.EVENT_OUTCOME.find("NFA - Support declined").orElseThrow().is("closes")).isTrue();
        assertThat(CldValues.EVENT_OUTCOME.find("nfa moved to another la").orElseThrow().is("closes")).isTrue();
        assertThat(CldValues.EVENT_OUTCOME.find("Service ended as planned").orElseThrow().is("closes")).isTrue();
        assertThat(CldValues.EVENT_OUTCOME.find("Progress to Assessment").orElseThrow().is("closes")).isFalse();
        assertThat(CldValues.EVENT_OUTCOME.find("progress to reablement / st-max").orElseThrow().is("closes")).isFalse();
        assertThat(CldValues.EVENT_OUTCOME.find("NFA - Deceased").orElseThrow().is("no-such-property")).isFalse();
        assertThat(CldValues.EVENT_OUTCOME.concepts()).filteredOn(concept -> concept.code().startsWith("nfa-"))
                .hasSizeGreaterThan(5).allMatch(concept -> concept.is("closes"));
        assertThat(CldValues.EVENT_OUTCOME.concepts()).filteredOn(concept -> concept.code().startsWith("progress-to-"))
                .isNotEmpty().noneMatch(concept -> concept.is("closes"));
    }

    @Test
    void aCostFrequencyNamesItsPeriod() {
        assertThat(CldValues.COST_FREQUENCY.find("Hourly").orElseThrow().string("period")).contains("1 h");
        assertThat(CldValues.COST_FREQUENCY.find("4-weekly").orElseThrow().string("period")).contains("4 wk");
        assertThat(CldValues.COST_FREQUENCY.find("One-Off").orElseThrow().string("period")).isEmpty();
    }

    @Test
    void aConceptIsCodedInItsCodeSystemWithTheCldSpelling() {
        Coding coding = CldValues.EVENT_TYPE.find("review").orElseThrow().coding();

        assertThat(coding.getSystem()).isEqualTo(CLD + "lw-cld-event-type");
        assertThat(coding.getCode()).isEqualTo("review");
        assertThat(coding.getDisplay()).isEqualTo("Review");
    }

    @Test
    void thereIsNoListOfAnotherName() {
        assertThatThrownBy(() -> CldValues.byId("lw-cld-nothing")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lw-cld-nothing");
    }
}
