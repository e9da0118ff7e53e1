package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.EpisodeOfCare;
import org.hl7.fhir.r4.model.EpisodeOfCare.EpisodeOfCareStatus;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.store.RecordWriter;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The GP feed's two ways in, over real HTTP and a real drop folder, on the shared H2 gateway: what a practice gets
 * back for good, partly bad, wholly bad and refused files, and what the record then holds.
 */
class GpRegisterIT extends GatewayTestSupport {

    @Autowired
    MessageLog messageLog;

    @Autowired
    RecordWriter recordWriter;

    GpRegisterJourney gp;

    @BeforeEach
    void journey() {
        gp = new GpRegisterJourney(baseUrl(), fhirClient(), partner());
    }

    @Test
    void aPartlyBadFileAppliesItsGoodRowsAndReportsEachBadValueByLineAndColumn() {
        String practice = GpRegisterJourney.practice();
        String good = TestNhsNumbers.next();
        String badCheckDigit = good.substring(0, 9) + ((good.charAt(9) - '0' + 1) % 10);
        String csv = GpRegisterJourney.file(
                GpRegisterJourney.row(good, "Goodrow", "active", "", ""),
                GpRegisterJourney.row(badCheckDigit, "Badnhs", "active", "", ""),
                GpRegisterJourney.row(TestNhsNumbers.next(), "Futuredate", "active", "2999-01-01", ""));

        JsonNode receipt = gp.upload(practice, "delta", csv);

        assertThat(receipt.get("rowsReceived").asInt()).isEqualTo(3);
        assertThat(receipt.get("rowsAccepted").asInt()).isEqualTo(1);
        assertThat(receipt.get("rowsRejected").asInt()).isEqualTo(2);
        List<String> errors = new ArrayList<>();
        receipt.get("errors").forEach(error -> errors.add(error.get("line").asInt() + " " + error.get("column").asText()
                + " " + error.get("value").asText()));
        assertThat(errors).containsExactly("3 nhs_number " + badCheckDigit, "4 care_plan_date 2999-01-01");
        JsonNode done = gp.applied(receipt);
        assertThat(done.get("rowsApplied").asInt()).isEqualTo(1);
        assertThat(gp.patient(good).getNameFirstRep().getFamily()).isEqualTo("Goodrow");
        assertThat(gp.search(Patient.class, "identifier=" + GpRegisterJourney.NHS + "|" + badCheckDigit)).isEmpty();
    }

    @Test
    void aLargeSearchIsReadAPageAtATimeToItsEnd() {
        String practice = GpRegisterJourney.practice();
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            rows.add(GpRegisterJourney.row(TestNhsNumbers.next(), "Paged", "active", "", ""));
        }
        assertThat(gp.applied(gp.upload(practice, "delta", GpRegisterJourney.file(rows.toArray(String[]::new))))
                .get("rowsApplied").asInt()).isEqualTo(450);
        List<List<String>> pages = new ArrayList<>();

        recordWriter.forEachPage("EpisodeOfCare?organization.identifier=" + GpRegisterJourney.ODS + "|" + practice, 300,
                page -> pages.add(page.stream().map(resource -> resource.getIdElement().getIdPart()).toList()));

        assertThat(pages).extracting(List::size).containsExactly(300, 150);
        assertThat(pages.stream().flatMap(List::stream).distinct().count()).isEqualTo(450);
        // A partner paging through the same search through /fhir sees all 450 too, 200 a page at most.
        Bundle page = fhirClient().search().byUrl("EpisodeOfCare?organization.identifier=" + GpRegisterJourney.ODS + "|" + practice
                + "&_count=200").returnBundle(Bundle.class).execute();
        int seen = page.getEntry().size();
        while (page.getLink(Bundle.LINK_NEXT) != null) {
            page = fhirClient().loadPage().next(page).execute();
            seen += page.getEntry().size();
        }
        assertThat(seen).isEqualTo(450);
    }

    @Test
    void aBatchIsOneMessageLogEntryAndReplayingItAppliesItAgainWritingNothingNew() {
        String practice = GpRegisterJourney.practice();
        String nhsNumber = TestNhsNumbers.next();
        JsonNode first = gp.applied(gp.upload(practice, "delta", GpRegisterJourney.file(GpRegisterJourney.row(nhsNumber, "Replayed", "active", "", ""))));
        String batchId = first.get("batchId").asText();
        MessageLog.Entry entry = messageLog.find(new MessageLog.Key("gp-smi-register", practice, batchId)).orElseThrow();
        assertThat(entry.status()).isEqualTo(MessageLog.Status.APPLIED);
        assertThat(entry.notes()).anySatisfy(note -> assertThat(note).startsWith("rows applied: 1,"));
        String version = gp.patient(nhsNumber).getMeta().getVersionId();

        HttpResponse<String> replay = gp.post("/admin/messages/" + entry.id() + "/replay", null, new byte[0]);

        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> messageLog.find(entry.id()).orElseThrow().updatedAt().isAfter(entry.updatedAt())
                && "applied".equals(gp.batch(batchId).get("status").asText()));
        assertThat(gp.batch(batchId).get("updatedAt").asText()).isNotEqualTo(first.get("updatedAt").asText());
        assertThat(gp.patient(nhsNumber).getMeta().getVersionId()).isEqualTo(version);
    }

    @Test
    void aPracticesFullExtractsAreAppliedInTheOrderReceived() {
        String practice = GpRegisterJourney.practice();
        String stays = TestNhsNumbers.next();
        Set<String> droppedSet = new LinkedHashSet<>();
        while (droppedSet.size() < 200) {
            droppedSet.add(TestNhsNumbers.next());
        }
        droppedSet.remove(stays);
        List<String> dropped = List.copyOf(droppedSet);
        List<String> older = new ArrayList<>(List.of(GpRegisterJourney.row(stays, "Stays", "active", "", "")));
        dropped.forEach(nhsNumber -> older.add(GpRegisterJourney.row(nhsNumber, "Dropped", "active", "", "")));
        // The big older extract first, the small newer one straight after: with two consumers the newer would finish
        // first, and the older would then put everyone back on the register, were the batches not kept in order.
        JsonNode first = gp.upload(practice, "full", GpRegisterJourney.file(older.toArray(String[]::new)));
        JsonNode second = gp.upload(practice, "full", GpRegisterJourney.file(GpRegisterJourney.row(stays, "Stays", "active", "", "")));

        JsonNode firstDone = gp.applied(first);
        JsonNode secondDone = gp.applied(second);
        assertThat(secondDone.get("episodesEnded").asInt()).as(firstDone + " then " + secondDone).isEqualTo(dropped.size());
        assertThat(gp.episode(practice, dropped.get(dropped.size() - 1)).getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(gp.episode(practice, stays).getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);
    }

    @Test
    void aWhollyBadFileIsTakenWithEveryRowRejectedAndChangesNothing() {
        String practice = GpRegisterJourney.practice();
        String csv = GpRegisterJourney.file(
                GpRegisterJourney.row("1234567890", "Nobody", "active", "", ""),
                GpRegisterJourney.row("9990000000", "Nobody", "maybe", "", ""));

        JsonNode receipt = gp.upload(practice, "full", csv);

        assertThat(receipt.get("rowsAccepted").asInt()).isZero();
        assertThat(receipt.get("rowsRejected").asInt()).isEqualTo(2);
        JsonNode done = gp.applied(receipt);
        assertThat(done.get("rowsApplied").asInt()).isZero();
        assertThat(done.get("episodesEnded").asInt()).isZero();
    }

    @Test
    void filesThatAreNotARegisterAreRefusedWith400AndTheSameErrorShape() {
        String practice = GpRegisterJourney.practice();
        String noDiagnosis = GpRegisterJourney.HEADER.replace("smi_diagnosis_code,", "").replace(",register_date", "");

        HttpResponse<String> missing = gp.post("/ingest/gp/" + practice + "/smi-register?mode=full", "text/csv",
                (noDiagnosis + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(missing.statusCode()).isEqualTo(400);
        JsonNode answer = GpRegisterJourney.json(missing.body());
        assertThat(answer.get("batchId").isNull()).isTrue();
        assertThat(answer.get("errors")).extracting(error -> error.get("column").asText())
                .containsExactly("smi_diagnosis_code", "register_date");
        assertThat(answer.get("errors").get(0).get("line").asInt()).isEqualTo(1);

        assertThat(gp.post("/ingest/gp/" + practice + "/smi-register?mode=full", "text/csv", new byte[0]).statusCode()).isEqualTo(400);
        assertThat(gp.post("/ingest/gp/" + practice + "/smi-register?mode=full", "text/csv",
                "{\"resourceType\":\"Patient\"}".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
        assertThat(gp.post("/ingest/gp/" + practice + "/smi-register?mode=full", "text/csv",
                (GpRegisterJourney.HEADER + "\n").getBytes(StandardCharsets.UTF_8)).statusCode()).as("a header and no rows").isEqualTo(400);

        HttpResponse<String> badOds = gp.post("/ingest/gp/NOT-ODS/smi-register?mode=full", "text/csv", "x".getBytes(StandardCharsets.UTF_8));
        assertThat(badOds.statusCode()).isEqualTo(400);
        assertThat(GpRegisterJourney.json(badOds.body()).get("errors").get(0).get("column").asText()).isEqualTo("practiceOds");
        assertThat(gp.post("/ingest/gp/" + practice + "/smi-register", "text/csv", "x".getBytes(StandardCharsets.UTF_8)).statusCode())
                .as("no mode").isEqualTo(400);
        assertThat(gp.post("/ingest/gp/" + practice + "/smi-register?mode=full", "application/json", "{}".getBytes(StandardCharsets.UTF_8))
                .statusCode()).isEqualTo(415);
        assertThat(messageLog.search(MessageLog.Status.REJECTED, "SMI-REGISTER^FULL", null, 0, 50))
                .anySatisfy(entry -> assertThat(entry.key().sender()).isEqualTo(practice));
    }

    @Test
    void aByteOrderMarkQuotingAndAnyColumnOrderAreRead() {
        String practice = GpRegisterJourney.practice();
        String nhsNumber = TestNhsNumbers.next();
        String csv = "\uFEFFsurplus_column,register_date,register_status,smi_diagnosis_date,smi_diagnosis_code,postcode,sex,"
                + "date_of_birth,given_name,family_name,nhs_number\r\n"
                + "\"ignored, with a comma\",2020-01-02,active,2019-12-01,58214004,SE1 7EH,male,1975-06-07,\"Jo \"\"JJ\"\"\",\"O'Quoted, Smith\"," + nhsNumber + "\r\n";

        gp.applied(gp.upload(practice, "delta", csv));

        Patient patient = gp.patient(nhsNumber);
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo("O'Quoted, Smith");
        assertThat(patient.getNameFirstRep().getGivenAsSingleString()).isEqualTo("Jo \"JJ\"");
        assertThat(gp.episode(practice, nhsNumber).getPeriod().getStartElement().getValueAsString()).isEqualTo("2020-01-02");
    }

    @Test
    void aDeltaEndsNoOneItDoesNotNameAndAResolvedRowFinishesTheEpisode() {
        String practice = GpRegisterJourney.practice();
        String stays = TestNhsNumbers.next();
        String resolves = TestNhsNumbers.next();
        gp.applied(gp.upload(practice, "full", GpRegisterJourney.file(
                GpRegisterJourney.row(stays, "Stays", "active", "", ""), GpRegisterJourney.row(resolves, "Resolves", "active", "", ""))));

        JsonNode delta = gp.applied(gp.upload(practice, "delta", GpRegisterJourney.file(GpRegisterJourney.row(resolves, "Resolves", "resolved", "", ""))));

        assertThat(delta.get("episodesEnded").asInt()).isZero();
        assertThat(gp.episode(practice, stays).getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);
        EpisodeOfCare resolved = gp.episode(practice, resolves);
        assertThat(resolved.getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(resolved.getPeriod().hasEnd()).isTrue();
    }

    @Test
    void aPatientMovingPracticeHasOneEpisodePerPracticeAndTheNewPracticeAsGp() {
        String from = GpRegisterJourney.practice();
        String to = GpRegisterJourney.practice();
        String nhsNumber = TestNhsNumbers.next();
        gp.applied(gp.upload(from, "full", GpRegisterJourney.file(GpRegisterJourney.row(nhsNumber, "Mover", "active", "", ""))));
        gp.applied(gp.upload(from, "full", GpRegisterJourney.file(GpRegisterJourney.row(TestNhsNumbers.next(), "Other", "active", "", ""))));
        gp.applied(gp.upload(to, "delta", GpRegisterJourney.file(GpRegisterJourney.row(nhsNumber, "Mover", "active", "", ""))));

        assertThat(gp.episode(from, nhsNumber).getStatus()).isEqualTo(EpisodeOfCareStatus.FINISHED);
        assertThat(gp.episode(to, nhsNumber).getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE);
        assertThat(gp.patient(nhsNumber).getGeneralPractitioner()).extracting(gp -> gp.getIdentifier().getValue()).containsExactly(to);
    }

    @Test
    void aDroppedFileIsTakenOnceCompleteAndMovedWithItsReport() throws IOException {
        String practice = GpRegisterJourney.practice();
        Path folder = Files.createDirectories(gateway.dataDir().resolve("inbox/gp/" + practice));
        List<String> nhsNumbers = new ArrayList<>();
        Path dropped = folder.resolve("register-full.csv");
        // Written slowly, a row at a time, while the route polls: the file must stay where it is until the last row.
        try (OutputStream out = Files.newOutputStream(dropped, StandardOpenOption.CREATE_NEW)) {
            out.write((GpRegisterJourney.HEADER + "\n").getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                String nhsNumber = TestNhsNumbers.next();
                nhsNumbers.add(nhsNumber);
                out.write((GpRegisterJourney.row(nhsNumber, "Dropped", "active", "", "") + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> Files.exists(dropped));
            }
        }
        Path report = folder.resolve(".done/register-full.csv.report.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(report) && Files.exists(folder.resolve(".done/register-full.csv")));
        JsonNode receipt = GpRegisterJourney.json(Files.readString(report));
        assertThat(receipt.get("rowsReceived").asInt()).isEqualTo(5);
        assertThat(Files.exists(dropped)).isFalse();
        gp.applied(receipt);
        assertThat(nhsNumbers).allSatisfy(nhsNumber -> assertThat(gp.episode(practice, nhsNumber).getStatus()).isEqualTo(EpisodeOfCareStatus.ACTIVE));

        Files.writeString(folder.resolve("broken.csv"), "nhs_number,family_name\n9990000018,Nobody\n");
        Path errorReport = folder.resolve(".error/broken.csv.report.json");
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(errorReport));
        assertThat(GpRegisterJourney.json(Files.readString(errorReport)).get("errors")).extracting(error -> error.get("column").asText())
                .contains("date_of_birth", "smi_diagnosis_code");
        assertThat(folder.resolve(".error/broken.csv")).exists();
    }
}
