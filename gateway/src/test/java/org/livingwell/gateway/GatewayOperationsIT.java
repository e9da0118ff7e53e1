package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The outside contracts an operator or partner checks first: readiness, health, and the raw search URL. */
class GatewayOperationsIT extends GatewayTestSupport {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void metadataAnswersACapabilityStatementForR4() throws IOException {
        JsonNode metadata = getJson("/fhir/metadata");
        assertThat(metadata.path("resourceType").asText()).isEqualTo("CapabilityStatement");
        assertThat(metadata.path("fhirVersion").asText()).isEqualTo("4.0.1");
    }

    @Test
    void healthIsUpWithDatabaseBrokerAndCamelAsComponents() throws IOException {
        JsonNode health = getJson("/actuator/health");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("jms").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
    }

    /** Partners type the token search as the spec writes it, with a bare '|', which Tomcat refuses by default. */
    @Test
    void identifierSearchWithAnUnencodedBarIsAccepted() throws IOException {
        JsonNode found = getJson("/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + TestNhsNumbers.next());
        assertThat(found.path("resourceType").asText()).isEqualTo("Bundle");
    }

    private JsonNode getJson(String path) throws IOException {
        // HttpURLConnection sends the URL as written (java.net.URI would refuse the bare '|').
        HttpURLConnection connection = (HttpURLConnection) new URL(baseUrl() + path).openConnection();
        connection.setRequestProperty("Accept", "application/json");
        connection.setRequestProperty("Authorization", "Bearer " + partner().token());
        assertThat(connection.getResponseCode()).as("HTTP status of %s", path).isEqualTo(200);
        try (InputStream body = connection.getInputStream()) {
            return json.readTree(new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
