package org.livingwell.routes.council;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Council cases for the council feed's tests: synthetic people (NHS numbers from the 999 test range), synthetic names and
 * postcodes, the council Y9C01. Cases are built as the API's JSON and checked by {@link CaseValidator}, as the feed reads them.
 */
final class CouncilFixtures {

    /** Today, for the validators of these tests. */
    static final LocalDate TODAY = LocalDate.of(2026, 11, 24);
    static final Clock CLOCK = Clock.fixed(TODAY.atStartOfDay().toInstant(ZoneOffset.UTC), ZoneOffset.UTC);
    static final CaseValidator VALIDATOR = new CaseValidator(CLOCK);

    static final String COUNCIL = "Y9C01";
    static final String COUNCIL_NAME = "Example Borough Council";
    static final String BASE = "https://fhir.livingwell.example/";
    static final String PERSON_SYSTEM = BASE + "Id/council-person/Y9C01";
    static final String EVENT_SYSTEM = BASE + "Id/council-event/Y9C01";
    static final String NHS_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number";
    static final String WHITE_BRITISH = "White: English, Welsh, Scottish, Northern Irish or British";

    /**
     * A case of the API with every kind of event: a request and an assessment that ended, and a home-care service still
     * provided, taken as a direct payment of 15.00 an hour for 10 hours a week.
     */
    static final String CASE = """
            {
              "personId": "P100234",
              "nhsNumber": "999 000 0018",
              "familyName": "Testperson",
              "givenName": "Sam",
              "dateOfBirth": "1948-07-15",
              "gender": "Female",
              "ethnicity": "White: English, Welsh, Scottish, Northern Irish or British",
              "postcode": "se11 5aa",
              "primarySupportReason": "Physical Support: Personal care support",
              "updatedAt": "2026-11-20T09:30:00Z",
              "events": [
                {"eventId": "EV-1001", "type": "Request", "startDate": "2026-01-05", "endDate": "2026-01-07",
                 "outcome": "Progress to Assessment"},
                {"eventId": "EV-1002", "type": "Assessment", "startDate": "2026-01-12", "endDate": "2026-02-02",
                 "outcome": "Progress to Support Planning / Services"},
                {"eventId": "EV-1003", "type": "Service", "startDate": "2026-02-09", "serviceType": "Long Term Support: Community",
                 "serviceComponent": "Home care", "deliveryMechanism": "Direct Payment", "unitCost": "15.00",
                 "costFrequency": "Hourly", "plannedUnitsPerWeek": "10"}
              ]
            }
            """;

    private CouncilFixtures() {}

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) CaseJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError("fixture is not JSON", e);
        }
    }

    /** A fresh copy of {@link #CASE}, to change. */
    static ObjectNode caseJson() {
        return json(CASE);
    }

    /** The i-th event of a case's JSON, to change. */
    static ObjectNode event(ObjectNode json, int i) {
        return (ObjectNode) json.withArray("events").get(i);
    }

    /** A person without events; {@code nhsNumber} may be null (not yet matched). */
    static ObjectNode person(String personId, String nhsNumber, String updatedAt) {
        ObjectNode json = CaseJson.MAPPER.createObjectNode();
        json.put("personId", personId);
        if (nhsNumber != null) {
            json.put("nhsNumber", nhsNumber);
        }
        json.put("familyName", "Samplename");
        json.put("givenName", "Robin");
        json.put("dateOfBirth", "1959-02-27");
        json.put("gender", "Male");
        json.put("ethnicity", WHITE_BRITISH);
        json.put("postcode", "SW9 9ZZ");
        json.put("primarySupportReason", "Support with Memory and Cognition");
        json.put("updatedAt", updatedAt);
        json.putArray("events");
        return json;
    }

    /** Adds an event (end and outcome may be null) and returns it, to add more values. */
    static ObjectNode addEvent(ObjectNode person, String eventId, String type, String start, String end, String outcome) {
        ArrayNode events = person.withArray("events");
        ObjectNode event = events.addObject();
        event.put("eventId", eventId);
        event.put("type", type);
        event.put("startDate", start);
        if (end != null) {
            event.put("endDate", end);
        }
        if (outcome != null) {
            event.put("outcome", outcome);
        }
        return event;
    }

    /** Adds a Service event (no outcome); any of end, mechanism, cost, frequency and units may be null. */
    static ObjectNode addService(ObjectNode person, String eventId, String serviceType, String start, String end,
            String mechanism, String unitCost, String costFrequency, String unitsPerWeek) {
        ObjectNode event = addEvent(person, eventId, "Service", start, end, null);
        event.put("serviceType", serviceType);
        putIfPresent(event, "deliveryMechanism", mechanism);
        putIfPresent(event, "unitCost", unitCost);
        putIfPresent(event, "costFrequency", costFrequency);
        putIfPresent(event, "plannedUnitsPerWeek", unitsPerWeek);
        return event;
    }

    private static void putIfPresent(ObjectNode node, String field, String value) {
        if (value != null) {
            node.put(field, value);
        }
    }

    /** What the validator makes of the case's JSON as the API sends it (updatedAt required). */
    static CaseValidator.Checked check(JsonNode json) {
        try {
            return VALIDATOR.check(CaseJson.input(json), true);
        } catch (JsonProcessingException e) {
            throw new AssertionError("fixture does not have the contract's shape", e);
        }
    }

    /** The case typed; the fixture must be valid. */
    static CouncilCase valid(JsonNode json) {
        CaseValidator.Checked checked = check(json);
        return checked.valid().orElseThrow(() -> new AssertionError("fixture case invalid: " + checked.violations()));
    }
}
