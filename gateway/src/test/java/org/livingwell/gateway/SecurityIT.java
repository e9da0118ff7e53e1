package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Partner access over real HTTP with real tokens: both client-authentication methods with keys made here, the
 * refusals (bad assertions, bad tokens), the scope matrix including what _include and $everything could leak,
 * the practice check on GP ingest, the admin scope, and the AuditEvents all of it leaves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityIT extends GatewayTestSupport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final HttpClient http = HttpClient.newHttpClient();
    private IIdType patientId;
    private IIdType encounterId;

    @BeforeAll
    void aPatientWithAnEncounter() {
        patientId = fhirClient().create().resource(SharedRecordContract.patient(TestNhsNumbers.next(), "Guarded"))
                .execute().getId().toUnqualifiedVersionless();
        encounterId = fhirClient().create().resource(SharedRecordContract.finishedEncounter(patientId))
                .execute().getId().toUnqualifiedVersionless();
    }

    @Test
    void discoveryIsOpenAndDescribesBackendServices() throws Exception {
        for (String path : List.of("/.well-known/smart-configuration", "/fhir/.well-known/smart-configuration")) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(path)).GET(), null);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            JsonNode smart = JSON.readTree(answer.body());
            assertThat(smart.path("token_endpoint").asText()).isEqualTo(baseUrl() + "/oauth2/token");
            assertThat(texts(smart.path("grant_types_supported"))).containsExactly("client_credentials");
            assertThat(texts(smart.path("token_endpoint_auth_methods_supported")))
                    .contains("private_key_jwt", "client_secret_basic");
            assertThat(texts(smart.path("token_endpoint_auth_signing_alg_values_supported"))).contains("RS384", "ES384");
            assertThat(texts(smart.path("capabilities"))).contains("client-confidential-asymmetric", "permission-v2");
            assertThat(texts(smart.path("scopes_supported"))).contains("system/*.rs", "system/gp-register.write");
        }
        HttpResponse<String> jwks = send(HttpRequest.newBuilder(uri("/oauth2/jwks")).GET(), null);
        assertThat(JWKSet.parse(jwks.body()).getKeys()).isNotEmpty().allSatisfy(key -> assertThat(key.isPrivate()).isFalse());
    }

    @Test
    void withoutATokenTheRecordAnswers401WithAnOperationOutcomeButMetadataStaysOpen() throws Exception {
        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/fhir/" + patientId.getValue())).GET(), null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(JSON.readTree(refused.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(send(HttpRequest.newBuilder(uri("/fhir/metadata")).GET(), null).statusCode()).isEqualTo(200);
        for (String path : List.of("/admin/messages", "/ingest/batches/x")) {
            assertThat(send(HttpRequest.newBuilder(uri(path)).GET(), null).statusCode()).as(path).isEqualTo(401);
        }
    }

    @Test
    void clientSecretBasicGetsAShortLivedTokenForWhatItWasGranted() throws Exception {
        String client = registerSecretClient(null, "system/Patient.rs");
        HttpResponse<String> answer = tokenRequest("grant_type=client_credentials&scope=system/Patient.rs", basic(client, "s3cret-" + client));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode token = JSON.readTree(answer.body());
        assertThat(token.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(token.path("expires_in").asInt()).isBetween(1, 300);
        assertThat(token.has("refresh_token")).isFalse();
        assertThat(read("/fhir/" + patientId.getValue(), token.path("access_token").asText()).statusCode()).isEqualTo(200);

        HttpResponse<String> wrongSecret = tokenRequest("grant_type=client_credentials&scope=system/Patient.rs", basic(client, "guess"));
        assertThat(wrongSecret.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrongSecret.body()).path("error").asText()).isEqualTo("invalid_client");
        HttpResponse<String> moreThanGranted = tokenRequest("grant_type=client_credentials&scope=system/*.cruds",
                basic(client, "s3cret-" + client));
        assertThat(moreThanGranted.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(moreThanGranted.body()).path("error").asText()).isEqualTo("invalid_scope");
    }

    @Test
    void aPartnerRegisteredByConfigurationGetsTokensAndTheAdminApiListsClientsWithoutSecrets() throws Exception {
        HttpResponse<String> answer = tokenRequest("grant_type=client_credentials&scope=system/Patient.rs",
                basic("configured-partner", "configured-partner-secret"));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(read("/fhir/" + patientId.getValue(), JSON.readTree(answer.body()).path("access_token").asText()).statusCode())
                .isEqualTo(200);

        String registered = registerSecretClient("Y00001", "system/Patient.rs");
        HttpResponse<String> clients = read("/admin/clients", partner().token());
        assertThat(clients.statusCode()).isEqualTo(200);
        assertThat(clients.body()).contains("configured-partner", registered, "client_secret_basic")
                .doesNotContain("s3cret-" + registered).doesNotContain("$2a$");
        HttpResponse<String> neitherSecretNorKeys = send(HttpRequest.newBuilder(uri("/admin/clients/plain"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(
                        "{\"scopes\":[\"system/Patient.rs\"]}")), partner().token());
        assertThat(neitherSecretNorKeys.statusCode()).as("no secret, no keys").isEqualTo(400);
        assertThat(send(HttpRequest.newBuilder(uri("/admin/clients/" + registered)).DELETE(), partner().token()).statusCode())
                .isEqualTo(204);
        assertThat(tokenRequest("grant_type=client_credentials&scope=system/Patient.rs", basic(registered, "s3cret-" + registered))
                .statusCode()).as("a removed client").isEqualTo(401);
    }

    @Test
    void privateKeyJwtWithRs384AndEs384KeysGetsTokens() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
        ECKey ec = new ECKeyGenerator(Curve.P_384).keyID("ec-1").generate();
        String client = registerKeyClient(new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())), "system/Patient.rs");

        for (JWK key : List.of(rsa, ec)) {
            JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
            HttpResponse<String> answer = assertionRequest(signed(key, algorithm, claims(client, tokenUrl(), 240)));
            assertThat(answer.statusCode()).as("%s: %s", algorithm, answer.body()).isEqualTo(200);
            String accessToken = JSON.readTree(answer.body()).path("access_token").asText();
            assertThat(read("/fhir/" + patientId.getValue(), accessToken).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void badAssertionsAreRefusedAsInvalidClient() throws Exception {
        RSAKey key = new RSAKeyGenerator(2048).keyID("k").generate();
        String client = registerKeyClient(new JWKSet(key.toPublicJWK()), "system/Patient.rs");
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k").generate();

        JWTClaimsSet once = claims(client, tokenUrl(), 120);
        assertThat(assertionRequest(signed(key, JWSAlgorithm.RS384, once)).statusCode()).isEqualTo(200);
        Map<String, String> refusals = Map.of(
                "the same jti again", signed(key, JWSAlgorithm.RS384, once),
                "exp ten minutes ahead", signed(key, JWSAlgorithm.RS384, claims(client, tokenUrl(), 600)),
                "expired", signed(key, JWSAlgorithm.RS384, claims(client, tokenUrl(), -120)),
                "another audience", signed(key, JWSAlgorithm.RS384, claims(client, "https://elsewhere.example/token", 120)),
                "signed by another key", signed(stranger, JWSAlgorithm.RS384, claims(client, tokenUrl(), 120)),
                "RS256, not allowed", signed(key, JWSAlgorithm.RS256, claims(client, tokenUrl(), 120)),
                "unsigned (alg none)", new PlainJWT(claims(client, tokenUrl(), 120)).serialize(),
                "iss another client", signed(key, JWSAlgorithm.RS384, new JWTClaimsSet.Builder(claims(client, tokenUrl(), 120))
                        .issuer("someone-else").build()));
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> answer = assertionRequest(refusal.getValue());
            assertThat(answer.statusCode()).as(refusal.getKey()).isEqualTo(401);
            assertThat(JSON.readTree(answer.body()).path("error").asText()).as(refusal.getKey()).isEqualTo("invalid_client");
        }
    }

    @Test
    void expiredForgedAndUnsignedAccessTokensAre401() throws Exception {
        RSAKey gatewayKey = RSAKey.parse(Files.readString(gateway.dataDir().resolve("security/token-signing-key.json")));
        JWTClaimsSet expired = new JWTClaimsSet.Builder().subject(TEST_CLIENT_ID).claim("scope", List.of("system/*.cruds"))
                .issueTime(Date.from(Instant.now().minusSeconds(900))).expirationTime(Date.from(Instant.now().minusSeconds(600))).build();
        JWTClaimsSet fresh = new JWTClaimsSet.Builder(expired).expirationTime(Date.from(Instant.now().plusSeconds(200))).build();
        assertThat(read("/fhir/" + patientId.getValue(), signed(gatewayKey, JWSAlgorithm.RS256, fresh)).statusCode())
                .as("the same claims, validly signed, pass").isEqualTo(200);
        Map<String, String> refusals = Map.of(
                "expired", signed(gatewayKey, JWSAlgorithm.RS256, expired),
                "signed by another key", signed(new RSAKeyGenerator(2048).keyID(gatewayKey.getKeyID()).generate(), JWSAlgorithm.RS256, fresh),
                "unsigned (alg none)", new PlainJWT(fresh).serialize(),
                "not a JWT", "opaque-token");
        for (Map.Entry<String, String> refusal : refusals.entrySet()) {
            HttpResponse<String> answer = read("/fhir/" + patientId.getValue(), refusal.getValue());
            assertThat(answer.statusCode()).as(refusal.getKey()).isEqualTo(401);
            assertThat(JSON.readTree(answer.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
        }
    }

    @Test
    void eachScopeAllowsExactlyWhatItSays() throws Exception {
        String patientsOnly = token(registerSecretClient(null, "system/Patient.rs"), "system/Patient.rs");
        assertThat(read("/fhir/" + patientId.getValue(), patientsOnly).statusCode()).isEqualTo(200);
        assertThat(read("/fhir/Patient?_id=" + patientId.getIdPart(), patientsOnly).statusCode()).isEqualTo(200);
        assertThat(read("/fhir/" + patientId.getValue() + "/_history", patientsOnly).statusCode()).isEqualTo(200);
        assertOutcome(read("/fhir/" + encounterId.getValue(), patientsOnly), 403);
        assertOutcome(read("/fhir/Encounter?subject=" + patientId.getValue(), patientsOnly), 403);
        assertOutcome(read("/fhir/Encounter/_history", patientsOnly), 403);
        assertOutcome(post("/fhir/Patient", patientsOnly, SharedRecordContract.patient(TestNhsNumbers.next(), "Nope")), 403);

        // What an _include, a _revinclude or $everything would pull in is filtered down to the types the scope reads.
        assertThat(types(read("/fhir/Patient?_id=" + patientId.getIdPart() + "&_revinclude=Encounter:subject", patientsOnly)))
                .containsOnly("Patient");
        assertThat(types(read("/fhir/" + patientId.getValue() + "/$everything", patientsOnly))).containsOnly("Patient");
        assertThat(types(read("/fhir/Encounter?_id=" + encounterId.getIdPart() + "&_include=Encounter:subject",
                token(registerSecretClient(null, "system/Encounter.rs"), "system/Encounter.rs")))).containsOnly("Encounter");
        String everythingReader = token(registerSecretClient(null, "system/*.rs"), "system/*.rs");
        assertThat(types(read("/fhir/" + patientId.getValue() + "/$everything", everythingReader))).contains("Patient", "Encounter");

        // v1 write: create and update, no read; a transaction is checked entry by entry.
        String patientWriter = token(registerSecretClient(null, "system/Patient.write"), "system/Patient.write");
        assertThat(post("/fhir/Patient", patientWriter, SharedRecordContract.patient(TestNhsNumbers.next(), "Written")).statusCode())
                .isEqualTo(201);
        assertOutcome(read("/fhir/" + patientId.getValue(), patientWriter), 403);
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(SharedRecordContract.finishedEncounter(patientId))
                .getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Encounter");
        assertOutcome(post("/fhir", patientWriter, transaction), 403);

        // AuditEvents: only the auditor scope reads them (a wildcard does not), and nobody writes them.
        assertOutcome(read("/fhir/AuditEvent?_count=1", everythingReader), 403);
        HttpResponse<String> written = post("/fhir/AuditEvent", partner().token(), new AuditEvent());
        assertThat(written.statusCode()).as("an AuditEvent written by a partner with every scope").isIn(400, 403, 405);
        HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/fhir/AuditEvent/any")).DELETE(), partner().token());
        assertThat(deleted.statusCode()).as("an AuditEvent deleted").isIn(400, 403, 405);
    }

    @Test
    void aPracticeSendsOnlyItsOwnRegister() throws Exception {
        String practice = GpRegisterJourney.practice();
        String token = token(registerSecretClient(practice, "system/gp-register.write"), "system/gp-register.write");
        String csv = GpRegisterJourney.file(GpRegisterJourney.row(TestNhsNumbers.next(), "Own", "active", "", ""));

        HttpResponse<String> another = upload(GpRegisterJourney.practice(), token, csv);
        assertThat(another.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(another.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
        HttpResponse<String> own = upload(practice, token, csv);
        assertThat(own.statusCode()).isEqualTo(202);

        // The batch's progress (its row errors quote the practice's patient data) is the practice's alone.
        String progress = own.headers().firstValue("Location").orElseThrow();
        assertThat(read(progress, token).statusCode()).isEqualTo(200);
        String otherPractice = token(registerSecretClient(GpRegisterJourney.practice(), "system/gp-register.write"),
                "system/gp-register.write");
        assertThat(read(progress, otherPractice).statusCode()).as("another practice asking").isEqualTo(404);
        String reader = token(registerSecretClient(practice, "system/*.rs"), "system/*.rs");
        assertThat(upload(practice, reader, csv).statusCode()).as("no ingest scope").isEqualTo(403);
    }

    @Test
    void theAdminApiNeedsTheAdminScope() throws Exception {
        String reader = token(registerSecretClient(null, "system/*.rs"), "system/*.rs");
        assertOutcome(read("/admin/messages", reader), 403);
        assertThat(read("/admin/messages", partner().token()).statusCode()).isEqualTo(200);
    }

    @Test
    void everyAccessLeavesAnAuditEventOnlyTheAuditorReads() throws Exception {
        String clientId = registerSecretClient("RV5", "system/Patient.rs");
        String token = token(clientId, "system/Patient.rs");
        assertThat(read("/fhir/" + patientId.getValue(), token).statusCode()).isEqualTo(200);
        assertThat(read("/fhir/Patient?_id=" + patientId.getIdPart(), token).statusCode()).isEqualTo(200);
        assertThat(read("/fhir/" + encounterId.getValue(), token).statusCode()).isEqualTo(403);
        assertThat(read("/admin/messages", token).statusCode()).isEqualTo(403);

        String byClient = "/fhir/AuditEvent?agent=" + clientId + "&date=ge" + Instant.now().minus(Duration.ofHours(1));
        List<AuditEvent> events = await().atMost(Duration.ofSeconds(30)).until(() -> auditEvents(byClient), found -> found.size() >= 4);
        assertThat(events).allSatisfy(event -> {
            assertThat(event.getAgentFirstRep().getRequestor()).isTrue();
            assertThat(event.getAgentFirstRep().getAltId()).isEqualTo(clientId);
            assertThat(event.getAgent()).anySatisfy(agent -> assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("RV5"));
            assertThat(event.getAgentFirstRep().getNetwork().getAddress()).isNotBlank();
        });
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("read");
            assertThat(event.getOutcome().toCode()).isEqualTo("0");
            assertThat(event.getEntity()).anySatisfy(entity ->
                    assertThat(entity.getWhat().getReference()).isEqualTo(patientId.getValue()));
        });
        assertThat(events).anySatisfy(event -> {
            assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
            assertThat(event.getEntity()).filteredOn(entity -> entity.hasQuery()).anySatisfy(entity ->
                    assertThat(new String(entity.getQuery(), StandardCharsets.UTF_8)).contains("_id=" + patientId.getIdPart()));
        });
        assertThat(events).filteredOn(event -> event.getOutcome().toCode().equals("4")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(events).as("the token it was issued").anySatisfy(event ->
                assertThat(event.getSubtypeFirstRep().getCode()).isEqualTo("POST /oauth2/token"));
        // Found by the resource too, and a request with no token at all is recorded as well.
        assertThat(auditEvents("/fhir/AuditEvent?entity=" + patientId.getValue())).isNotEmpty();
        send(HttpRequest.newBuilder(uri("/fhir/" + encounterId.getValue())).GET(), null);
        await().atMost(Duration.ofSeconds(30)).until(() -> auditEvents("/fhir/AuditEvent?agent-name=unauthenticated&outcome=4"),
                found -> found.stream().anyMatch(event -> event.getEntity().stream().anyMatch(entity ->
                        entity.getDescription() != null && entity.getDescription().contains(encounterId.getValue()))));
        // Ingest is audited too.
        String practice = GpRegisterJourney.practice();
        String sender = registerSecretClient(practice, "system/gp-register.write");
        upload(practice, token(sender, "system/gp-register.write"),
                GpRegisterJourney.file(GpRegisterJourney.row(TestNhsNumbers.next(), "Audited", "active", "", "")));
        await().atMost(Duration.ofSeconds(30)).until(() -> auditEvents("/fhir/AuditEvent?altid=" + sender),
                found -> found.stream().anyMatch(event -> event.getSubtypeFirstRep().getCode().contains("/ingest/gp/")));
    }

    private List<AuditEvent> auditEvents(String query) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri(query)).GET(), partner().token());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return fhirContext.newJsonParser().parseResource(Bundle.class, answer.body()).getEntry().stream()
                .map(entry -> (AuditEvent) entry.getResource()).toList();
    }

    // --- clients, tokens, requests ----------------------------------------------------------------------

    private String registerSecretClient(String organisation, String scope) throws Exception {
        String id = "partner-" + UUID.randomUUID();
        register(id, Map.of("organisation", organisation == null ? "" : organisation, "scopes", List.of(scope),
                "secret", "s3cret-" + id));
        return id;
    }

    private String registerKeyClient(JWKSet publicKeys, String scope) throws Exception {
        String id = "partner-" + UUID.randomUUID();
        register(id, Map.of("organisation", "RV5", "scopes", List.of(scope), "jwks", publicKeys.toJSONObject(true)));
        return id;
    }

    private void register(String id, Map<String, Object> registration) throws Exception {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(uri("/admin/clients/" + id))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(registration))),
                partner().token());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }

    private String token(String clientId, String scope) throws Exception {
        HttpResponse<String> answer = tokenRequest("grant_type=client_credentials&scope=" + scope, basic(clientId, "s3cret-" + clientId));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body()).path("access_token").asText();
    }

    private String tokenUrl() {
        return baseUrl() + "/oauth2/token";
    }

    private static JWTClaimsSet claims(String clientId, String audience, int expiresInSeconds) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .expirationTime(Date.from(Instant.now().plusSeconds(expiresInSeconds))).jwtID(UUID.randomUUID().toString()).build();
    }

    private static String signed(JWK key, JWSAlgorithm algorithm, JWTClaimsSet claims) throws Exception {
        JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private HttpResponse<String> assertionRequest(String assertion) throws Exception {
        return tokenRequest("grant_type=client_credentials&scope=system/Patient.rs&client_assertion_type="
                + URLEncoder.encode(ASSERTION_TYPE, StandardCharsets.UTF_8) + "&client_assertion=" + assertion, null);
    }

    private HttpResponse<String> tokenRequest(String form, String basicAuthorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (basicAuthorization != null) {
            request.header("Authorization", basicAuthorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String clientId, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> read(String path, String accessToken) throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).GET(), accessToken);
    }

    private HttpResponse<String> post(String path, String accessToken, IBaseResource resource)
            throws Exception {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(fhirContext.newJsonParser().encodeResourceToString(resource))), accessToken);
    }

    private HttpResponse<String> upload(String practice, String accessToken, String csv) throws Exception {
        return send(HttpRequest.newBuilder(uri("/ingest/gp/" + practice + "/smi-register?mode=delta"))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv)), accessToken);
    }

    private HttpResponse<String> send(HttpRequest.Builder request, String accessToken) throws Exception {
        if (accessToken != null) {
            request.header("Authorization", "Bearer " + accessToken);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String pathAndQuery) {
        return URI.create(baseUrl() + pathAndQuery.replace("|", "%7C"));
    }

    private void assertOutcome(HttpResponse<String> answer, int status) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
        assertThat(JSON.readTree(answer.body()).path("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    private List<String> types(HttpResponse<String> answer) throws Exception {
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return fhirContext.newJsonParser().parseResource(Bundle.class, answer.body()).getEntry().stream()
                .map(entry -> entry.getResource().fhirType()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
