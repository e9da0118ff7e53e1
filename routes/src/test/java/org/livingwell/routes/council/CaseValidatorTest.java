package org.livingwell.routes.council;

import static org.assertj.core.api.Assertions.assertThat;
import static org.livingwell.routes.council.CouncilFixtures.VALIDATOR;
import static org.livingwell.routes.council.CouncilFixtures.caseJson;
import static org.livingwell.routes.council.CouncilFixtures.check;
import static org.livingwell.routes.council.CouncilFixtures.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.livingwell.routes.council.CaseValidator.Checked;
import org.livingwell.routes.council.CaseValidator.Violation;
import org.livingwell.routes.council.CouncilCase.Event;

/** The council API's case contract, on {@link CouncilFixtures#CASE} with one thing changed (today is 2026-11-24). */
class CaseValidatorTest {

    @Test
    void aGoodCaseIsTyped() {
        Checked checked = check(caseJson());

        assertThat(checked.violations()).isEmpty();
        CouncilCase person = checked.valid().orElseThrow();
        assertThat(person.personId()).isEqualTo("P100234");
        assertThat(person.nhsNumber()).map(number -> number.value()).contains("9990000018");
        assertThat(person.familyName()).isEqualTo("Testperson");
        assertThat(person.givenName()).isEqualTo("Sam");
        assertThat(person.dateOfBirth()).isEqualTo(LocalDate.of(1948, 7, 15));
        assertThat(person.gender()).isEqualTo(AdministrativeGender.FEMALE);
        assertThat(person.ethnicity()).contains(CouncilFixtures.WHITE_BRITISH);
        assertThat(person.postcode()).as("normalised").isEqualTo("SE11 5AA");
        assertThat(person.primarySupportReason().code()).isEqualTo("physical-personal-care");
        assertThat(person.updatedAt()).contains(Instant.parse("2026-11-20T09:30:00Z"));
        assertThat(person.events()).extracting(Event::eventId).containsExactly("EV-1001", "EV-1002", "EV-1003");

        Event request = person.events().get(0);
        assertThat(request.type().code()).isEqualTo("request");
        assertThat(request.isService()).isFalse();
        assertThat(request.start()).isEqualTo(LocalDate.of(2026, 1, 5));
        assertThat(request.end()).contains(LocalDate.of(2026, 1, 7));
        assertThat(request.outcome()).map(CldValues.Concept::code).contains("progress-to-assessment");
        assertThat(request.serviceType()).isEmpty();
        assertThat(request.unitCost()).isEmpty();

        Event service = person.events().get(2);
        assertThat(service.isService()).isTrue();
        assertThat(service.end()).as("still provided").isEmpty();
        assertThat(service.outcome()).isEmpty();
        assertThat(service.serviceType()).map(CldValues.Concept::code).contains("long-term-community");
        assertThat(service.serviceComponent()).map(CldValues.Concept::code).contains("home-support");
        assertThat(service.deliveryMechanism()).map(CldValues.Concept::code).contains("direct-payment");
        assertThat(service.unitCost()).contains(new BigDecimal("15.00"));
        assertThat(service.costFrequency()).map(CldValues.Concept::code).contains("hourly");
        assertThat(service.plannedUnitsPerWeek()).contains(new BigDecimal("10"));
    }

    @Test
    void theNhsNumberIsOptional() {
        ObjectNode without = caseJson();
        without.remove("nhsNumber");
        ObjectNode blank = caseJson();
        blank.put("nhsNumber", "  ");

        assertThat(check(without).valid().orElseThrow().nhsNumber()).isEmpty();
        assertThat(check(blank).valid().orElseThrow().nhsNumber()).isEmpty();
    }

    @ParameterizedTest(name = "\"{0}\" -> {1}")
    @CsvSource({"male, MALE", "FEMALE, FEMALE", "Other, OTHER", "Indeterminate, OTHER", "Not known, UNKNOWN",
            "not stated, UNKNOWN", "Unknown, UNKNOWN"})
    void gendersAsCouncilsWriteThem(String gender, AdministrativeGender expected) {
        ObjectNode json = caseJson();
        json.put("gender", gender);

        assertThat(check(json).valid().orElseThrow().gender()).isEqualTo(expected);
    }

    @Test
    void aCaseOfTheFileNeedNotSayWhenItWasUpdated() throws Exception {
        ObjectNode json = caseJson();
        json.remove("updatedAt");

        Checked checked = VALIDATOR.check(CaseJson.input(json), false);

        assertThat(checked.valid().orElseThrow().updatedAt()).isEmpty();
    }

    static Stream<Arguments> breaches() {
        return Stream.<Arguments>of(
                breach("personId missing", json -> json.remove("personId"),
                        "personId", "", "is required"),
                breach("personId with a space", json -> json.put("personId", "P 100234"),
                        "personId", "P 100234", "is not an id (at most 64 letters, digits, '.', '_' or '-')"),
                breach("NHS number check digit", json -> json.put("nhsNumber", "9990000019"),
                        "nhsNumber", "9990000019", "fails the NHS number modulus-11 check"),
                breach("NHS number short", json -> json.put("nhsNumber", "999000001"),
                        "nhsNumber", "999000001", "is not 10 digits"),
                breach("family name blank", json -> json.put("familyName", " "),
                        "familyName", " ", "is required"),
                breach("date of birth in the future", json -> json.put("dateOfBirth", "2026-11-25"),
                        "dateOfBirth", "2026-11-25", "is in the future"),
                breach("date of birth not a day", json -> json.put("dateOfBirth", "1948-02-30"),
                        "dateOfBirth", "1948-02-30", "is not a real day"),
                breach("date of birth not ISO", json -> json.put("dateOfBirth", "15/07/1948"),
                        "dateOfBirth", "15/07/1948", "is not a date in the form YYYY-MM-DD"),
                breach("gender", json -> json.put("gender", "F"),
                        "gender", "F", "is not one of Male, Female, Other, Unknown, Not known, Not stated, Indeterminate"),
                breach("postcode", json -> json.put("postcode", "SE11"),
                        "postcode", "SE11", "is not a UK postcode"),
                breach("primary support reason", json -> json.put("primarySupportReason", "Housing"),
                        "primarySupportReason", "Housing", "is not a value of the CLD list lw-primary-support-reason (fhir-profiles)"),
                breach("unknown event type", json -> event(json, 0).put("type", "Visit"),
                        "events[0].type", "Visit", "is not one of Request, Assessment, Service, Review"),
                breach("event without id", json -> event(json, 1).remove("eventId"),
                        "events[1].eventId", "", "is required"),
                breach("event id with a slash", json -> event(json, 1).put("eventId", "EV/1002"),
                        "events[1].eventId", "EV/1002", "is not an id (at most 64 letters, digits, '.', '_' or '-')"),
                breach("start date in the future", json -> event(json, 1).put("startDate", "2026-12-01").remove("endDate"),
                        "events[1].startDate", "2026-12-01", "is in the future"),
                breach("unknown outcome", json -> event(json, 1).put("outcome", "Closed"),
                        "events[1].outcome", "Closed", "is not a value of the CLD list lw-cld-event-outcome (fhir-profiles)"),
                breach("unknown service type", json -> event(json, 2).put("serviceType", "Long Term Support: Hospital"),
                        "events[2].serviceType", "Long Term Support: Hospital",
                        "is not a value of the CLD list lw-cld-service-type (fhir-profiles)"),
                breach("Service event without serviceType", json -> event(json, 2).remove("serviceType"),
                        "events[2].serviceType", "", "is required for a Service event"),
                breach("unknown delivery mechanism", json -> event(json, 2).put("deliveryMechanism", "Cash"),
                        "events[2].deliveryMechanism", "Cash",
                        "is not one of Direct Payment, CASSR Managed Personal Budget, CASSR Commissioned Support, Self-Funder Metering Only"),
                breach("endDate before startDate", json -> event(json, 0).put("endDate", "2026-01-04"),
                        "events[0].endDate", "2026-01-04", "is before the event's start date"),
                breach("unitCost abc", json -> event(json, 2).put("unitCost", "abc"),
                        "events[2].unitCost", "abc", "is not a number of zero or more (e.g. 18.50)"),
                breach("unitCost negative", json -> event(json, 2).put("unitCost", "-15.00"),
                        "events[2].unitCost", "-15.00", "is not a number of zero or more (e.g. 18.50)"),
                breach("plannedUnitsPerWeek with a unit", json -> event(json, 2).put("plannedUnitsPerWeek", "10h"),
                        "events[2].plannedUnitsPerWeek", "10h", "is not a number of zero or more (e.g. 18.50)"),
                breach("missing updatedAt", json -> json.remove("updatedAt"),
                        "updatedAt", "", "is required"),
                breach("updatedAt not an instant", json -> json.put("updatedAt", "2026-11-20 09:30"),
                        "updatedAt", "2026-11-20 09:30", "is not an ISO-8601 instant (e.g. 2026-11-24T09:30:00Z)"),
                breach("no events", json -> json.putArray("events"),
                        "events", "", "has no events"),
                breach("no events at all", json -> json.remove("events"),
                        "events", "", "has no events"),
                breach("an event that is null", json -> json.withArray("events").set(1, json.nullNode()),
                        "events[1]", "", "is not an event"));
    }

    private static Arguments breach(String name, Consumer<ObjectNode> change, String field, String value, String message) {
        return Arguments.of(name, change, new Violation(field, value, message));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("breaches")
    void eachBreachOfTheContractIsOneViolationNamingTheJsonPath(String name, Consumer<ObjectNode> change, Violation expected) {
        ObjectNode json = caseJson();
        change.accept(json);

        Checked checked = check(json);

        assertThat(checked.valid()).isEmpty();
        assertThat(checked.violations()).containsExactly(expected);
    }

    @Test
    void reportsEveryViolationOfACaseAtOnceInFieldOrder() {
        ObjectNode json = caseJson();
        json.put("postcode", "12345");
        json.put("nhsNumber", "9990000019");
        event(json, 2).remove("serviceType");
        event(json, 0).put("type", "Visit");

        Checked checked = check(json);

        assertThat(checked.violations()).extracting(Violation::field)
                .containsExactly("events[0].type", "events[2].serviceType", "nhsNumber", "postcode");
    }

    @Test
    void aHyphenatedNhsNumberIsTaken() {
        ObjectNode json = caseJson();
        json.put("nhsNumber", "999-000-0026");

        assertThat(check(json).valid().orElseThrow().nhsNumber()).map(number -> number.value()).contains("9990000026");
    }

    @Test
    void eventsNullIsAViolationNotACrash() {
        ObjectNode json = caseJson();
        json.putNull("events");

        assertThat(check(json).violations()).containsExactly(new Violation("events", "", "has no events"));
    }
}
