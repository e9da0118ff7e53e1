package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.livingwell.routes.council.CouncilWatermark;
import org.livingwell.routes.identity.NhsNumber;
import org.livingwell.routes.partner.PartnerTokenClient;

/**
 * A council's quarterly CLD file dropped in the inbox, into the real record, read back through /fhir: the person's
 * Patient, social care episode, tasks and support plan with its personal budget; a row with a bad value reported by
 * line and column; the same file again changing nothing. Also the poll's watermark kept in the database.
 * {@link SharedRecordContract} runs it on every database.
 */
final class CouncilFileJourney {

    static final String HEADER = "Team,LA_Person_ID,NHS_Number,Family_Name,Given_Name,Date_of_Birth,Gender,Ethnicity,Postcode,"
            + "Primary_Support_Reason,Event_Type,Event_Reference,Event_Start_Date,Event_End_Date,Event_Outcome,Service_Type,"
            + "Service_Component,Delivery_Mechanism,Unit_Cost,Cost_Frequency,Planned_Units_Per_Week";
    static final String EVENT_SYSTEM = "https://fhir.livingwell.example/Id/council-event/Y9C01";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final IGenericClient fhir;
    private final PartnerTokenClient partner;
    private final Path dataDir;

    CouncilFileJourney(String baseUrl, IGenericClient fhir, PartnerTokenClient partner, Path dataDir) {
        this.baseUrl = baseUrl;
        this.fhir = fhir;
        this.partner = partner;
        this.dataDir = dataDir;
    }

    void aCldFileIsAppliedOnceAndReported() throws IOException, InterruptedException {
        String nhsNumber = TestNhsNumbers.next();
        String person = "LA-" + nhsNumber;
        String csv = "\uFEFF" + HEADER + "\r\n"
                + "MH," + person + "," + nhsNumber + ",Filerow,Ada,1975-02-03,female,Other ethnic group - Arab,SE11 4AA,"
                + "Mental Health Support,Service,EV-" + nhsNumber + "-1,2026-02-01,,Provision of service,Long Term Support: Community,"
                + "Home Support,CASSR Managed Personal Budget,210,Weekly,1\r\n"
                + "MH," + person + "," + nhsNumber + ",Filerow,Ada,1975-02-03,female,Other ethnic group - Arab,SE11 4AA,"
                + "Mental Health Support,Review,EV-" + nhsNumber + "-2,2026-08-01,2026-08-01,No change in package,,,,,,\r\n"
                + "MH,LA-X" + nhsNumber + ",,Filerow,Bea,1980-02-30,female,,SE11 4AB,Mental Health Support,Request,"
                + "EV-X" + nhsNumber + ",2026-03-01,,,,,,,,\r\n";

        JsonNode receipt = drop("cld-" + nhsNumber + ".csv", csv);
        assertThat(receipt.path("rowsAccepted").asInt()).isEqualTo(2);
        assertThat(receipt.path("rowsRejected").asInt()).isEqualTo(1);
        assertThat(receipt.path("errors").get(0).path("line").asInt()).isEqualTo(4);
        assertThat(receipt.path("errors").get(0).path("column").asText()).isEqualTo("Date_of_Birth");
        assertThat(receipt.path("errors").get(0).path("value").asText()).isEqualTo("1980-02-30");
        awaitApplied(receipt, 2);

        Patient patient = only(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber), Patient.class);
        assertThat(patient.getIdentifier()).anyMatch(id -> id.getSystem().endsWith("/council-person/Y9C01") && person.equals(id.getValue()));
        EpisodeOfCare episode = only(search("EpisodeOfCare?patient=Patient/" + patient.getIdPart()), EpisodeOfCare.class);
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        assertThat(episode.getPeriod().getStartElement().getValueAsString()).isEqualTo("2026-02-01");
        CarePlan plan = only(search("CarePlan?subject=Patient/" + patient.getIdPart()), CarePlan.class);
        Extension budget = plan.getActivityFirstRep().getDetail()
                .getExtensionByUrl("https://fhir.livingwell.example/StructureDefinition/LWPersonalBudget");
        assertThat(((Money) budget.getExtensionByUrl("amount").getValue()).getValue()).isEqualByComparingTo("210.00");
        Task review = only(search("Task?identifier=" + EVENT_SYSTEM + "|EV-" + nhsNumber + "-2"), Task.class);
        assertThat(review.getStatus()).isEqualTo(Task.TaskStatus.COMPLETED);

        // The same file again: received and applied, and nothing in the record changes.
        awaitApplied(drop("cld-" + nhsNumber + "-again.csv", csv), 2);
        assertThat(only(search("CarePlan?subject=Patient/" + patient.getIdPart()), CarePlan.class).getMeta().getVersionId())
                .isEqualTo(plan.getMeta().getVersionId());
        assertThat(only(search("Patient?identifier=" + NhsNumber.SYSTEM + "|" + nhsNumber), Patient.class).getMeta().getVersionId())
                .isEqualTo(patient.getMeta().getVersionId());
    }

    static void watermarkIsKept(CouncilWatermark watermark) {
        Instant at = Instant.parse("2026-11-20T09:30:00.123456Z");
        watermark.save(at);
        assertThat(watermark.load()).contains(at);
        watermark.save(at.plusSeconds(60));
        assertThat(watermark.load()).contains(at.plusSeconds(60));
    }

    /** Writes the file beside the inbox, moves it in, and waits for its report. */
    private JsonNode drop(String name, String csv) throws IOException {
        Path inbox = Files.createDirectories(dataDir.resolve("inbox").resolve("council"));
        Path partial = inbox.resolveSibling(name + ".part");
        Files.writeString(partial, csv, StandardCharsets.UTF_8);
        Files.move(partial, inbox.resolve(name));
        Path report = inbox.resolve(".done").resolve(name + ".report.json");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(report) && Files.size(report) > 0);
        return JSON.readTree(report.toFile());
    }

    private void awaitApplied(JsonNode receipt, int rows) throws IOException, InterruptedException {
        String path = "/ingest/batches/" + receipt.path("batchId").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> "applied".equals(getJson(path).path("status").asText()));
        JsonNode batch = getJson(path);
        assertThat(batch.path("rowsApplied").asInt()).isEqualTo(rows);
        assertThat(batch.path("rowsFailed").asInt()).isZero();
    }

    private JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(partner.authorize(java.net.http.HttpRequest.newBuilder(URI.create(baseUrl + path)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    private Bundle search(String query) {
        return fhir.search().byUrl(query).returnBundle(Bundle.class).execute();
    }

    private static <R extends Resource> R only(Bundle bundle, Class<R> type) {
        List<R> found = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).toList();
        assertThat(found).hasSize(1);
        return found.get(0);
    }
}
