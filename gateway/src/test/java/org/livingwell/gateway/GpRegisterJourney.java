package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.livingwell.routes.partner.PartnerTokenClient;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CarePlan;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Procedure;
import org.hl7.fhir.r4.model.Resource;

/**
 * A practice's SMI register through the real upload endpoint into the real record, read back through /fhir: the
 * register's people with their diagnosis, register episode, care plan and health check; the same file again
 * changing nothing; a later full extract that no longer lists someone ending their episode. {@link SharedRecordContract}
 * runs it on every database; {@link GpRegisterIT} uses its helpers for the rest of the feed.
 */
final class GpRegisterJourney {

    static final String HEADER = "nhs_number,family_name,given_name,date_of_birth,sex,postcode,smi_diagnosis_code,"
            + "smi_diagnosis_date,register_status,register_date,ethnic_category,care_plan_date,physical_health_check_date";
    static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
    static final String ODS = "https://fhir.nhs.uk/Id/ods-organization-code";
    static final String EPISODES = "https://fhir.livingwell.example/Id/gp-smi-register/episode";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final IGenericClient fhir;
    private final PartnerTokenClient partner;

    GpRegisterJourney(String baseUrl, IGenericClient fhir, PartnerTokenClient partner) {
        this.baseUrl = baseUrl;
        this.fhir = fhir;
        this.partner = partner;
    }

    /** A synthetic register row; optional dates may be empty. */
    static String row(String nhsNumber, String family, String status, String carePlanDate, String healthCheckDate) {
        return String.join(",", nhsNumber, family, "Alex", "1980-02-03", "female", "SE11 5AA", "58214004", "2018-04-01",
                status, "2018-05-01", "M", carePlanDate, healthCheckDate);
    }

    static String file(String... rows) {
        return HEADER + "\n" + String.join("\n", rows) + "\n";
    }

    /** A synthetic practice code no other test uses: a letter and five digits. */
    static String practice() {
        return TestNhsNumbers.practice();
    }

    HttpResponse<String> post(String path, String contentType, byte[] body) {
        try {
            HttpRequest.Builder request = partner.authorize(HttpRequest.newBuilder(URI.create(baseUrl + path)))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                request.header("Content-Type", contentType);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Uploads a register and returns the 202's JSON. */
    JsonNode upload(String practice, String mode, String csv) {
        HttpResponse<String> answer = post("/ingest/gp/" + practice + "/smi-register?mode=" + mode, "text/csv; charset=utf-8",
                csv.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(answer.headers().firstValue("Location")).isPresent();
        return json(answer.body());
    }

    /** Waits until the batch is applied and returns its final JSON. */
    JsonNode applied(JsonNode receipt) {
        String batchId = receipt.get("batchId").asText();
        return await().atMost(Duration.ofSeconds(60)).until(() -> batch(batchId), batch -> "applied".equals(batch.get("status").asText()));
    }

    JsonNode batch(String batchId) {
        try {
            HttpResponse<String> answer = HTTP.send(partner.authorize(HttpRequest.newBuilder(URI.create(baseUrl + "/ingest/batches/" + batchId))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            return json(answer.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    <R extends Resource> List<R> search(Class<R> type, String query) {
        Bundle found = fhir.search().byUrl(type.getSimpleName() + "?" + query).returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(entry -> type.cast(entry.getResource())).toList();
    }

    Patient patient(String nhsNumber) {
        List<Patient> found = search(Patient.class, "identifier=" + NHS + "|" + nhsNumber);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    EpisodeOfCare episode(String practice, String nhsNumber) {
        List<EpisodeOfCare> found = search(EpisodeOfCare.class, "identifier=" + EPISODES + "|" + practice + "-" + nhsNumber);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    /** Upload, apply, read back; the same file again; a full extract without the second patient. */
    void registerAppliedOnceAndAFullExtractEndsWhoItOmits() {
        String practice = practice();
        String first = TestNhsNumbers.next();
        String second = TestNhsNumbers.next();
        String register = file(row(first, "Registerone", "active", "2026-02-10", "2026-05-20"), row(second, "Registertwo", "active", "", ""));

        JsonNode receipt = upload(practice, "full", register);
        assertThat(receipt.get("rowsReceived").asInt()).isEqualTo(2);
        assertThat(receipt.get("rowsAccepted").asInt()).isEqualTo(2);
        assertThat(receipt.get("rowsRejected").asInt()).isZero();
        JsonNode done = applied(receipt);
        assertThat(done.get("rowsApplied").asInt()).isEqualTo(2);
        assertThat(done.get("rowsFailed").asInt()).isZero();

        Patient patient = patient(first);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("Registerone");
        assertThat(patient.getGeneralPractitionerFirstRep().getIdentifier().getValue()).isEqualTo(practice);
        String patientRef = "Patient/" + patient.getIdElement().getIdPart();
        Condition condition = search(Condition.class, "subject=" + patientRef).get(0);
        assertThat(condition.getCode().getCodingFirstRep().getCode()).isEqualTo("58214004");
        assertThat(condition.getClinicalStatus().getCodingFirstRep().getCode()).isEqualTo("active");
        EpisodeOfCare episode = episode(practice, first);
        assertThat(episode.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
        assertThat(episode.getPeriod().getStartElement().getValueAsString()).isEqualTo("2018-05-01");
        assertThat(episode.getManagingOrganization().getIdentifier().getValue()).isEqualTo(practice);
        assertThat(episode.getDiagnosisFirstRep().getCondition().getReference()).contains("Condition/" + condition.getIdElement().getIdPart());
        CarePlan carePlan = search(CarePlan.class, "subject=" + patientRef).get(0);
        assertThat(carePlan.getCreatedElement().getValueAsString()).startsWith("2026-02-10");
        Procedure check = search(Procedure.class, "subject=" + patientRef).get(0);
        assertThat(check.getPerformedDateTimeType().getValueAsString()).startsWith("2026-05-20");
        assertThat(search(CarePlan.class, "subject.identifier=" + NHS + "|" + second)).isEmpty();

        String patientVersion = patient.getMeta().getVersionId();
        String episodeVersion = episode.getMeta().getVersionId();
        applied(upload(practice, "full", register));
        assertThat(patient(first).getMeta().getVersionId()).as("the same file again").isEqualTo(patientVersion);
        assertThat(episode(practice, first).getMeta().getVersionId()).isEqualTo(episodeVersion);

        JsonNode later = applied(upload(practice, "full", file(row(first, "Registerone", "active", "2026-02-10", "2026-05-20"))));
        assertThat(later.get("episodesEnded").asInt()).isEqualTo(1);
        EpisodeOfCare ended = episode(practice, second);
        assertThat(ended.getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.FINISHED);
        assertThat(ended.getPeriod().hasEnd()).isTrue();
        assertThat(episode(practice, first).getStatus()).isEqualTo(EpisodeOfCare.EpisodeOfCareStatus.ACTIVE);
    }
}
