package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.livingwell.gateway.JdbcMessageLogContract.T0;
import static org.livingwell.gateway.JdbcMessageLogContract.newKey;
import static org.livingwell.gateway.JdbcMessageLogContract.newType;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.livingwell.gateway.admin.JdbcMessageLog;
import org.livingwell.routes.log.MessageLog.Key;
import org.livingwell.routes.log.MessageLog.Status;
import org.livingwell.routes.trust.TrustHl7Route;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The message log on the gateway's own database (H2) under the gateway's own transaction manager (JPA, over
 * HAPI's entity manager factory), and the admin API over real HTTP, replay through the real trust feed.
 */
class MessageLogIT extends GatewayTestSupport implements JdbcMessageLogContract {

    private static final String SENDER = "TRUSTEPR^LWTRUST";

    @Autowired
    private JdbcMessageLog messageLog;

    @Autowired
    private JpaTransactionManager transactionManager;

    @Autowired
    private ConnectionFactory connectionFactory;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Override
    public JdbcMessageLog messageLog() {
        return messageLog;
    }

    @Override
    public PlatformTransactionManager transactionManager() {
        return transactionManager;
    }

    @Test
    void listFiltersByStatusTypeAndSinceNewestFirstWithoutTheText() throws Exception {
        String type = newType();
        Key older = newKey();
        Key newer = newKey();
        messageLog.accepted(older, type, T0, "raw older");
        messageLog.accepted(newer, type, T0.plusSeconds(10), "raw newer");
        messageLog.applied(newer, 1, List.of("Patient/5/_history/1"), List.of());
        String byType = "/admin/messages?type=" + URLEncoder.encode(type, StandardCharsets.UTF_8);

        Answer all = get(byType);
        assertThat(all.status).isEqualTo(200);
        assertThat(all.body.get("page").asInt()).isZero();
        assertThat(all.body.get("size").asInt()).isEqualTo(50);
        assertThat(messageIds(all)).containsExactly(newer.messageId(), older.messageId());
        JsonNode first = all.body.get("messages").get(0);
        List<String> fields = new ArrayList<>();
        first.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("id", "feed",
                "sender", "messageId", "messageType", "receivedAt", "status", "reason", "attempts", "duplicates", "updatedAt");
        assertThat(first.get("feed").asText()).isEqualTo("trust-hl7");
        assertThat(first.get("sender").asText()).isEqualTo(SENDER);
        assertThat(first.get("messageType").asText()).isEqualTo(type);
        assertThat(first.get("receivedAt").asText()).isEqualTo("2026-11-24T09:00:10Z");
        assertThat(first.get("status").asText()).isEqualTo("APPLIED");
        assertThat(first.get("attempts").asInt()).isEqualTo(1);

        assertThat(messageIds(get(byType + "&status=applied"))).containsExactly(newer.messageId());
        assertThat(messageIds(get(byType + "&status=ACCEPTED"))).containsExactly(older.messageId());
        assertThat(messageIds(get(byType + "&since=2026-11-24T09:00:05Z"))).containsExactly(newer.messageId());
        Answer secondPage = get(byType + "&size=1&page=1");
        assertThat(secondPage.body.get("page").asInt()).isEqualTo(1);
        assertThat(secondPage.body.get("size").asInt()).isEqualTo(1);
        assertThat(messageIds(secondPage)).containsExactly(older.messageId());
    }

    @ParameterizedTest
    @CsvSource({"status=sent, status", "since=yesterday, since", "page=-1, page", "page=first, page",
            "size=0, size", "size=501, size", "size=many, size"})
    void aBadParameterIs400NamingIt(String query, String parameter) throws Exception {
        Answer answer = get("/admin/messages?" + query);
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body.get("error").asText()).startsWith(parameter + " ");
    }

    @Test
    void anUnknownIdIs404AndANonNumericOne400() throws Exception {
        assertThat(get("/admin/messages/987654321987").status).isEqualTo(404);
        assertThat(get("/admin/messages/987654321987").body.get("error").asText()).contains("987654321987");
        assertThat(post("/admin/messages/987654321987/replay").status).isEqualTo(404);
        assertThat(get("/admin/messages/latest").status).isEqualTo(400);
    }

    @Test
    void oneMessageHasItsTextAsReceivedWhatItWroteAndItsNotes() throws Exception {
        Key key = newKey();
        String raw = SharedRecordContract.adtA04(key.messageId(), TestNhsNumbers.next(), "Detailed");
        long id = messageLog.accepted(key, "ADT^A04", T0, raw).id();
        messageLog.applied(key, 3, List.of("Patient/7/_history/2"), List.of("unmapped segments: ZPI"));

        Answer answer = get("/admin/messages/" + id);

        assertThat(answer.status).isEqualTo(200);
        assertThat(answer.body.get("id").asLong()).isEqualTo(id);
        assertThat(answer.body.get("messageId").asText()).isEqualTo(key.messageId());
        assertThat(answer.body.get("attempts").asInt()).isEqualTo(3);
        assertThat(answer.body.get("raw").asText()).isEqualTo(raw).contains("\rPID|");
        assertThat(answer.body.get("resources")).hasSize(1);
        assertThat(answer.body.get("resources").get(0).asText()).isEqualTo("Patient/7/_history/2");
        assertThat(answer.body.get("notes")).hasSize(1);
        assertThat(answer.body.get("notes").get(0).asText()).isEqualTo("unmapped segments: ZPI");
    }

    @Test
    void replayPutsTheMessageBackOnItsFeedsQueueAndTheFeedAppliesIt() throws Exception {
        String nhsNumber = TestNhsNumbers.next();
        Key key = new Key(TrustHl7Route.SOURCE, SENDER, "REPLAY-" + UUID.randomUUID());
        long id = deadLettered(key, SharedRecordContract.adtA04(key.messageId(), nhsNumber, "Replayed"));

        Answer answer = post("/admin/messages/" + id + "/replay");

        assertThat(answer.status).isEqualTo(202);
        assertThat(answer.body.get("id").asLong()).isEqualTo(id);
        assertThat(answer.body.get("replayed").asBoolean()).isTrue();
        assertThat(answer.body.get("queue").asText()).isEqualTo(gateway.queues().trustInbound());
        await().atMost(Duration.ofSeconds(30)).until(() -> patientsWithNhsNumber(nhsNumber).stream()
                .anyMatch(patient -> "Replayed".equals(patient.getNameFirstRep().getFamily())));
    }

    /** The replayed message carries the log id and the control id: seen on it once the feed dead-letters it again. */
    @Test
    void aReplayedMessageCarriesItsLogIdAndControlId() throws Exception {
        String valid = TestNhsNumbers.next();
        String wrongCheckDigit = valid.substring(0, 9) + (valid.charAt(9) - '0' + 1) % 10;
        Key key = new Key(TrustHl7Route.SOURCE, SENDER, "REPLAY-" + UUID.randomUUID());
        String raw = SharedRecordContract.adtA04(key.messageId(), wrongCheckDigit, "Unusable");
        long id = deadLettered(key, raw);

        assertThat(post("/admin/messages/" + id + "/replay").status).isEqualTo(202);

        JmsTemplate jms = new JmsTemplate(connectionFactory);
        List<Object> replayed = await().atMost(Duration.ofSeconds(30)).until(() -> jms.browseSelected(
                gateway.queues().deadLetter(), "LwReplayOf = '" + id + "'",
                (session, browser) -> Collections.list(browser.getEnumeration())), found -> !found.isEmpty());
        Message message = (Message) replayed.get(0);
        assertThat(message.getStringProperty("Hl7ControlId")).isEqualTo(key.messageId());
        assertThat(((TextMessage) message).getText()).isEqualTo(raw);
    }

    @Test
    void replayOfAFeedWithoutAnInboundQueueIs409() throws Exception {
        long id = deadLettered(new Key("council-csv", "LAMBETH", UUID.randomUUID().toString()), "a,csv,row");

        Answer answer = post("/admin/messages/" + id + "/replay");

        assertThat(answer.status).isEqualTo(409);
        assertThat(answer.body.get("error").asText()).contains("council-csv");
    }

    private long deadLettered(Key key, String raw) {
        long id = messageLog.accepted(key, "ADT^A04", T0, raw).id();
        messageLog.failed(key, "ADT^A04", T0, raw, Status.DEAD_LETTERED, "the record refused it");
        return id;
    }

    private List<Patient> patientsWithNhsNumber(String nhsNumber) {
        Bundle found = fhirClient().search().forResource(Patient.class)
                .where(Patient.IDENTIFIER.exactly().systemAndCode(SharedRecordContract.NHS, nhsNumber))
                .returnBundle(Bundle.class).execute();
        return found.getEntry().stream().map(entry -> (Patient) entry.getResource()).toList();
    }

    private record Answer(int status, JsonNode body) {}

    private Answer get(String path) throws IOException, InterruptedException {
        return send(authorized(path).GET());
    }

    private Answer post(String path) throws IOException, InterruptedException {
        return send(authorized(path).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                contentType -> assertThat(contentType).startsWith("application/json"));
        return new Answer(response.statusCode(), json.readTree(response.body()));
    }

    private static List<String> messageIds(Answer answer) {
        return answer.body.get("messages").findValuesAsText("messageId");
    }
}
