package org.livingwell.gateway;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Patient.LinkType;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.council.CouncilCases;
import org.livingwell.routes.council.CouncilPoller;
import org.livingwell.routes.council.CouncilWatermark;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.log.MessageLog;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The council feed in the whole gateway (H2), with WireMock standing in for the council's case API and token endpoint
 * (the one system here we do not own): what a poll brings into the record, what it keeps in the message log, the
 * watermark, and the faults the poll must survive (CLD files: {@link CouncilFileJourney}, in the shared record
 * contract). A context of its own (the council API settings); the tests call the poll directly (the background poll
 * waits an hour after any poll).
 */
class CouncilFeedIT extends GatewayTestSupport {

    private static final WireMockServer COUNCIL = new WireMockServer(options().dynamicPort());
    private static final Path DATA_DIR = tempDir("lw-gateway-council-it");
    private static final int MLLP_PORT = freePort();
    private static final String COUNCIL_ODS = "Y9C01";
    private static final String PERSON_SYSTEM = "https://fhir.livingwell.example/Id/council-person/" + COUNCIL_ODS;
    private static final String EVENT_SYSTEM = "https://fhir.livingwell.example/Id/council-event/" + COUNCIL_ODS;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every test's cases are newer than the last test's: the watermark only moves forward. */
    private static final AtomicLong CLOCK = new AtomicLong(Instant.parse("2026-06-01T08:00:00Z").getEpochSecond());

    static {
        COUNCIL.start();
    }

    @DynamicPropertySource
    static void councilProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", DATA_DIR::toString);
        registry.add("gateway.mllp.port", () -> MLLP_PORT);
        registry.add("gateway.council.base-url", () -> COUNCIL.baseUrl() + "/socialcare");
        registry.add("gateway.council.token-url", () -> COUNCIL.baseUrl() + "/oauth/token");
        registry.add("gateway.council.client-id", () -> "living-well-gateway");
        registry.add("gateway.council.client-secret", () -> "council-test-secret");
        registry.add("gateway.council.poll-interval", () -> "1h");
        registry.add("gateway.council.page-size", () -> "2");
        registry.add("gateway.council.timeout", () -> "3s");
        // A failed poll waits an hour before the background tries again: only the tests poll.
        registry.add("gateway.store.retry.initial-delay-ms", () -> "3600000");
        registry.add("gateway.store.retry.max-delay-ms", () -> "3600000");
    }

    @AfterAll
    static void stopCouncil() {
        COUNCIL.stop();
    }

    @Autowired
    CouncilPoller poller;

    @Autowired
    CouncilWatermark watermark;

    @Autowired
    MessageLog messageLog;

    @BeforeEach
    void council() {
        // The poll the gateway makes as it starts (it finds no stubs, fails, and waits an hour) must be over first.
        await().atMost(Duration.ofSeconds(30)).until(() -> !"STARTING".equals(poller.status().state()));
        COUNCIL.resetAll();
        COUNCIL.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"token-1\",\"token_type\":\"Bearer\",\"expires_in\":300}")));
    }

    @Test
    void aPollBringsTheCouncilsCasesIntoTheRecordAndKeepsItsPlace() throws IOException {
        String matched = TestNhsNumbers.next();
        Instant first = tick();
        Instant last = tick();
        ObjectNode withBudget = person("LA-A1", matched, first,
                event("EV-A1-1", "Request", "2026-01-05", "2026-01-09", "Progress to Assessment"),
                service("EV-A1-2", "2026-02-02", null, "Long Term Support: Community", "Direct Payment", "16.50", "hourly", "8"));
        ObjectNode unmatched = person("LA-A2", null, first, event("EV-A2-1", "assessment", "2026-03-01", null, null));
        ObjectNode badNhsNumber = person("LA-A3", "9990000019", last, event("EV-A3-1", "Request", "2026-03-02", null, null));
        ObjectNode notACase = person("LA-A4", null, last);
        notACase.put("events", "not a list");
        pages(List.of(withBudget, unmatched), List.of(badNhsNumber, notACase));

        assertThat(poller.poll()).isTrue();

        Patient patient = only(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + matched), Patient.class);
        assertThat(patient.getIdentifier()).anyMatch(id -> PERSON_SYSTEM.equals(id.getSystem()) && "LA-A1".equals(id.getValue()));
        assertThat(patient.getMeta().getTag()).isEmpty();
        CarePlan plan = only(search("CarePlan?subject=Patient/" + patient.getIdPart()), CarePlan.class);
        assertThat(plan.getStatus()).isEqualTo(CarePlan.CarePlanStatus.ACTIVE);
        assertThat(plan.getActivity()).singleElement().satisfies(activity -> {
            assertThat(activity.getDetail().getCode().getCodingFirstRep().getDisplay()).isEqualTo("Long Term Support: Community");
            Extension budget = activity.getDetail().getExtensionByUrl("https://fhir.livingwell.example/StructureDefinition/LWPersonalBudget");
            assertThat(((Money) budget.getExtensionByUrl("amount").getValue()).getValue()).isEqualByComparingTo("132.00");
        });
        Task request = only(search("Task?identifier=" + EVENT_SYSTEM + "|EV-A1-1"), Task.class);
        assertThat(request.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(request.getFor().getReference()).isEqualTo("Patient/" + patient.getIdPart());
        assertThat(only(search("EpisodeOfCare?patient=Patient/" + patient.getIdPart()), EpisodeOfCare.class).getStatus())
                .isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);

        Patient kept = only(search("Patient?identifier=" + PERSON_SYSTEM + "|LA-A2"), Patient.class);
        assertThat(kept.getMeta().getTag()).singleElement().satisfies(tag -> assertThat(tag.getCode()).isEqualTo("unmatched"));
        assertThat(kept.getIdentifier()).noneMatch(id -> NhsNumber.SYSTEM.equals(id.getSystem()));

        assertThat(rejected("LA-A3@" + last).reason()).contains("nhsNumber");
        assertThat(rejected("LA-A4@" + last).reason()).contains("shape");
        assertThat(watermark.load()).contains(last);
        assertThat(getJson("/actuator/health/council").path("status").asText()).isEqualTo("UP");

        // The same pages again: nothing new in the record.
        String patientVersion = patient.getMeta().getVersionId();
        String planVersion = plan.getMeta().getVersionId();
        assertThat(poller.poll()).isTrue();
        assertThat(only(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + matched), Patient.class).getMeta().getVersionId())
                .isEqualTo(patientVersion);
        assertThat(only(search("CarePlan?subject=Patient/" + patient.getIdPart()), CarePlan.class).getMeta().getVersionId())
                .isEqualTo(planVersion);

        // An operator replays the case from the message log: applied again through the feed, nothing new written.
        MessageLog.Entry logged = messageLog.find(new MessageLog.Key(CouncilCases.LOG_FEED, COUNCIL_ODS, "LA-A1@" + first)).orElseThrow();
        HttpResponse<String> replayed = send(authorized("/admin/messages/" + logged.id() + "/replay")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replayed.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                messageLog.find(logged.id()).orElseThrow().updatedAt().isAfter(logged.updatedAt()));
        assertThat(messageLog.find(logged.id()).orElseThrow().status()).isEqualTo(MessageLog.Status.APPLIED);
        assertThat(only(search("CarePlan?subject=Patient/" + patient.getIdPart()), CarePlan.class).getMeta().getVersionId())
                .isEqualTo(planVersion);
    }

    @Test
    void aPersonKnownWithoutAnNhsNumberBecomesOneWithThePatientOfTheNumber() throws IOException {
        String nhsNumber = TestNhsNumbers.next();
        Instant before = tick();
        pages(List.of(person("LA-B1", nhsNumber, before, event("EV-B0-1", "Review", "2025-11-01", "2025-11-02", "No change in package"))));
        assertThat(poller.poll()).isTrue();
        Patient existing = only(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber), Patient.class);

        Instant unmatchedAt = tick();
        pages(List.of(person("LA-B2", null, unmatchedAt, event("EV-B2-1", "Request", "2026-04-01", null, null))));
        assertThat(poller.poll()).isTrue();
        Patient unmatched = only(search("Patient?identifier=" + PERSON_SYSTEM + "|LA-B2"), Patient.class);
        assertThat(unmatched.getIdPart()).isNotEqualTo(existing.getIdPart());

        Instant matchedAt = tick();
        pages(List.of(person("LA-B2", nhsNumber, matchedAt, event("EV-B2-1", "Request", "2026-04-01", "2026-04-03", "Progress to Assessment"))));
        assertThat(poller.poll()).isTrue();

        List<Patient> byNumber = all(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber), Patient.class);
        assertThat(byNumber).singleElement().satisfies(survivor -> {
            assertThat(survivor.getIdPart()).isEqualTo(existing.getIdPart());
            assertThat(survivor.getIdentifier()).anyMatch(id -> PERSON_SYSTEM.equals(id.getSystem()) && "LA-B2".equals(id.getValue()));
        });
        Patient retired = fhirClient().read().resource(Patient.class).withId(unmatched.getIdPart()).execute();
        assertThat(retired.getActive()).isFalse();
        assertThat(retired.getLink()).anyMatch(link -> link.getType() == LinkType.REPLACEDBY
                && link.getOther().getReference().equals("Patient/" + existing.getIdPart()));
        Task task = only(search("Task?identifier=" + EVENT_SYSTEM + "|EV-B2-1"), Task.class);
        assertThat(task.getFor().getReference()).isEqualTo("Patient/" + existing.getIdPart());
        // The person's id now names one active Patient: later cases without the number land on it.
        assertThat(all(search("Patient?identifier=" + PERSON_SYSTEM + "|LA-B2&active:not=false"), Patient.class))
                .extracting(Patient::getIdPart).containsExactly(existing.getIdPart());
    }

    @Test
    void aPartnerMaySupplyTheNhsNumberOfAPersonNotYetMatched() {
        Instant unmatchedAt = tick();
        pages(List.of(person("LA-G1", null, unmatchedAt, event("EV-G1-1", "Request", "2026-04-01", null, null))));
        assertThat(poller.poll()).isTrue();
        Patient unmatched = only(search("Patient?identifier=" + PERSON_SYSTEM + "|LA-G1"), Patient.class);

        // The partner (the trust, say) knows the person and puts the NHS number on the council's Patient.
        String nhsNumber = TestNhsNumbers.next();
        unmatched.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(nhsNumber);
        unmatched.getMeta().getTag().clear();
        fhirClient().update().resource(unmatched).execute();

        Instant matchedAt = tick();
        pages(List.of(person("LA-G1", nhsNumber, matchedAt, event("EV-G1-1", "Request", "2026-04-01", "2026-04-02", "Progress to Assessment"))));
        assertThat(poller.poll()).isTrue();

        Patient matched = only(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber), Patient.class);
        assertThat(matched.getIdPart()).isEqualTo(unmatched.getIdPart());
        assertThat(matched.getMeta().getTag()).noneMatch(tag -> "unmatched".equals(tag.getCode()));
        assertThat(matched.hasActive() && !matched.getActive()).isFalse();
        assertThat(only(search("Task?identifier=" + EVENT_SYSTEM + "|EV-G1-1"), Task.class).getFor().getReference())
                .isEqualTo("Patient/" + unmatched.getIdPart());
    }

    @Test
    void theCouncilDownOrSlowTurnsTheFeedDownLeavesTheWatermarkAndTheGatewayUp() throws IOException {
        Instant before = watermark.load().orElse(null);
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases")).willReturn(aResponse().withStatus(503)));
        assertThat(poller.poll()).isFalse();
        assertThat(watermark.load().orElse(null)).isEqualTo(before);
        JsonNode health = getJson("/actuator/health/council");
        assertThat(health.path("status").asText()).isEqualTo("DOWN");
        assertThat(health.path("details").path("lastError").asText()).contains("503");
        assertThat(fhirStatus("/fhir/metadata")).isEqualTo(200);
        CouncilPoller.Status down = poller.status();
        assertThat(Duration.between(down.lastFailure(), down.nextPoll())).isEqualTo(Duration.ofHours(1));

        COUNCIL.resetMappings();
        council();
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases"))
                .willReturn(okJson(page(List.of(), 0, 1)).withFixedDelay(6000)));
        long started = System.nanoTime();
        assertThat(poller.poll()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(5500));
        assertThat(poller.status().lastError()).contains("in time");

        Instant back = tick();
        pages(List.of(person("LA-C1", null, back, event("EV-C1-1", "Request", "2026-05-01", null, null))));
        assertThat(poller.poll()).isTrue();
        assertThat(getJson("/actuator/health/council").path("status").asText()).isEqualTo("UP");
        assertThat(watermark.load()).contains(back);
    }

    @Test
    void anAnswerThatIsNotAPageIsKeptForAnOperatorAndTheWatermarkStays() throws IOException {
        Instant before = watermark.load().orElse(null);
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases"))
                .willReturn(okJson("{\"cases\": [{\"personId\": \"LA-H1\"")));
        assertThat(poller.poll()).isFalse();
        assertThat(watermark.load().orElse(null)).isEqualTo(before);
        assertThat(poller.status().lastError()).contains("not JSON");
        List<MessageLog.Entry> kept = messageLog.search(MessageLog.Status.REJECTED, CouncilCases.PAGE_TYPE, null, 0, 10);
        assertThat(kept).anySatisfy(entry -> {
            assertThat(entry.raw()).startsWith("{\"cases\": [{\"personId\": \"LA-H1\"");
            assertThat(entry.reason()).contains("not JSON");
        });
        // Not a case: replaying it onto the case queue could only refuse it again; the next poll asks for it again.
        HttpResponse<String> replayed = send(authorized("/admin/messages/" + kept.get(0).id() + "/replay")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(replayed.statusCode()).isEqualTo(409);
        assertThat(replayed.body()).contains("not a page of cases");
    }

    @Test
    void a429IsWaitedOutAsTheCouncilSaysAndAnOperatorMayPollAtOnce() throws IOException {
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases"))
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "120")));
        assertThat(poller.poll()).isFalse();
        CouncilPoller.Status status = poller.status();
        assertThat(Duration.between(status.lastFailure(), status.nextPoll())).isEqualTo(Duration.ofSeconds(120));
        JsonNode shown = getJson("/admin/council");
        assertThat(shown.path("state").asText()).isEqualTo("DOWN");
        assertThat(Instant.parse(shown.path("nextPoll").asText())).isEqualTo(status.nextPoll());

        // An operator need not wait: the trigger polls within a second, back-off or not.
        Instant back = tick();
        pages(List.of(person("LA-I1", null, back, event("EV-I1-1", "Request", "2026-05-05", null, null))));
        HttpResponse<String> triggered = send(authorized("/admin/council/poll").POST(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(triggered.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> watermark.load().filter(back::equals).isPresent());
        assertThat(poller.status().state()).isEqualTo("UP");
    }

    @Test
    void aTokenThatExpiresMidPagingIsRenewedAndPagingGoesOn() throws IOException {
        poller.poll(); // holds token-1 from here
        COUNCIL.resetAll();
        COUNCIL.stubFor(post(urlPathEqualTo("/oauth/token"))
                .willReturn(okJson("{\"access_token\":\"token-2\",\"expires_in\":300}")));
        Instant at = tick();
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases")).withQueryParam("page", equalTo("0"))
                .withHeader("Authorization", equalTo("Bearer token-1"))
                .willReturn(okJson(page(List.of(person("LA-D1", null, at, event("EV-D1-1", "Request", "2026-05-02", null, null))), 0, 2))));
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases")).withQueryParam("page", equalTo("1"))
                .withHeader("Authorization", equalTo("Bearer token-1")).willReturn(aResponse().withStatus(401)));
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases")).withQueryParam("page", equalTo("0"))
                .withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(okJson(page(List.of(person("LA-D1", null, at, event("EV-D1-1", "Request", "2026-05-02", null, null))), 0, 2))));
        COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases")).withQueryParam("page", equalTo("1"))
                .withHeader("Authorization", equalTo("Bearer token-2"))
                .willReturn(okJson(page(List.of(person("LA-D2", null, at, event("EV-D2-1", "Request", "2026-05-03", null, null))), 1, 2))));

        assertThat(poller.poll()).isTrue();
        assertThat(search("Task?identifier=" + EVENT_SYSTEM + "|EV-D2-1").getEntry()).hasSize(1);
        COUNCIL.verify(1, postRequestedFor(urlPathEqualTo("/oauth/token")));
    }

    @Test
    void aCaseThatMovesBetweenPagesWhileTheyAreReadIsNeitherLostNorAppliedTwice() throws IOException {
        Instant t1 = tick();
        Instant t2 = tick();
        Instant t3 = tick();
        Instant t2Later = tick();
        ObjectNode m1 = person("LA-E1", null, t1, event("EV-E1-1", "Request", "2026-05-10", null, null));
        ObjectNode m2 = person("LA-E2", null, t2, event("EV-E2-1", "Request", "2026-05-11", null, null));
        ObjectNode m3 = person("LA-E3", null, t3, event("EV-E3-1", "Request", "2026-05-12", null, null));
        ObjectNode m2Later = person("LA-E2", null, t2Later, event("EV-E2-1", "Request", "2026-05-11", "2026-05-20", "Progress to Assessment"));
        // Pass 1 reads page 0 [m1, m2]; m2 then changes and moves last, so page 1 is [m2'] and m3 slips onto page 0.
        String cases = "/socialcare/api/v1/cases";
        COUNCIL.stubFor(get(urlPathEqualTo(cases)).withQueryParam("page", equalTo("0")).inScenario("moving")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(okJson(page(List.of(m1, m2), 0, 2))).willSetStateTo("moved"));
        COUNCIL.stubFor(get(urlPathEqualTo(cases)).withQueryParam("page", equalTo("1")).inScenario("moving")
                .whenScenarioStateIs("moved").willReturn(okJson(page(List.of(m2Later), 1, 2))));
        COUNCIL.stubFor(get(urlPathEqualTo(cases)).withQueryParam("page", equalTo("0")).inScenario("moving")
                .whenScenarioStateIs("moved").willReturn(okJson(page(List.of(m1, m3), 0, 2))));

        assertThat(poller.poll()).isTrue();

        assertThat(search("Task?identifier=" + EVENT_SYSTEM + "|EV-E3-1").getEntry()).hasSize(1);
        Task moved = only(search("Task?identifier=" + EVENT_SYSTEM + "|EV-E2-1"), Task.class);
        assertThat(moved.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);
        assertThat(only(search("Task?identifier=" + EVENT_SYSTEM + "|EV-E1-1"), Task.class).getMeta().getVersionId()).isEqualTo("1");
        assertThat(messageLog.find(new MessageLog.Key(CouncilCases.LOG_FEED, COUNCIL_ODS, "LA-E1@" + t1)).orElseThrow().status())
                .isEqualTo(MessageLog.Status.APPLIED);
        assertThat(watermark.load()).contains(t2Later);
    }

    // --- the council's API, as WireMock serves it -------------------------------------------------------------------

    private static Instant tick() {
        return Instant.ofEpochSecond(CLOCK.addAndGet(60));
    }

    /** Serves the pages for any updatedSince. */
    @SafeVarargs
    private void pages(List<ObjectNode>... pages) {
        for (int i = 0; i < pages.length; i++) {
            COUNCIL.stubFor(get(urlPathEqualTo("/socialcare/api/v1/cases")).withQueryParam("page", equalTo(String.valueOf(i)))
                    .willReturn(okJson(page(pages[i], i, pages.length))));
        }
    }

    private static String page(List<ObjectNode> cases, int page, int totalPages) {
        ObjectNode json = JSON.createObjectNode();
        ArrayNode array = json.putArray("cases");
        cases.forEach(array::add);
        json.put("page", page).put("totalPages", totalPages);
        return json.toString();
    }

    private static ObjectNode person(String personId, String nhsNumber, Instant updatedAt, ObjectNode... events) {
        ObjectNode json = JSON.createObjectNode().put("personId", personId);
        if (nhsNumber != null) {
            json.put("nhsNumber", nhsNumber);
        }
        json.put("familyName", "Councilcase").put("givenName", "Sam").put("dateOfBirth", "1984-09-12").put("gender", "Female")
                .put("ethnicity", "White - Irish").put("postcode", "SW2 1AA").put("primarySupportReason", "Mental Health Support")
                .put("updatedAt", updatedAt.toString());
        ArrayNode array = json.putArray("events");
        for (ObjectNode event : events) {
            array.add(event);
        }
        return json;
    }

    private static ObjectNode event(String id, String type, String start, String end, String outcome) {
        ObjectNode json = JSON.createObjectNode().put("eventId", id).put("type", type).put("startDate", start);
        if (end != null) {
            json.put("endDate", end);
        }
        if (outcome != null) {
            json.put("outcome", outcome);
        }
        return json;
    }

    private static ObjectNode service(String id, String start, String end, String serviceType, String mechanism, String unitCost,
            String frequency, String units) {
        return event(id, "Service", start, end, end == null ? "Provision of service" : "Service ended as planned")
                .put("serviceType", serviceType).put("deliveryMechanism", mechanism).put("unitCost", unitCost)
                .put("costFrequency", frequency).put("plannedUnitsPerWeek", units);
    }

    // --- reading the result ---------------------------------------------------------------------------------------

    private MessageLog.Entry rejected(String messageId) {
        MessageLog.Entry entry = messageLog.find(new MessageLog.Key(CouncilCases.LOG_FEED, COUNCIL_ODS, messageId)).orElseThrow();
        assertThat(entry.status()).isEqualTo(MessageLog.Status.REJECTED);
        return entry;
    }

    private Bundle search(String query) {
        return fhirClient().search().byUrl(query).returnBundle(Bundle.class).execute();
    }

    private static <R extends Resource> List<R> all(Bundle bundle, Class<R> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance).map(type::cast).toList();
    }

    private static <R extends Resource> R only(Bundle bundle, Class<R> type) {
        List<R> found = all(bundle, type);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private JsonNode getJson(String path) throws IOException {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(authorized(path).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private int fhirStatus(String path) throws IOException {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(java.net.URI.create(baseUrl() + path)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
