package org.livingwell.routes.partner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A partner system's side of SMART Backend Services with {@code client_secret_basic}, for tests and benchmarks:
 * gets an access token from the gateway's {@code /oauth2/token} and a new one shortly before it expires.
 */
public final class PartnerTokenClient {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*(\\d+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI tokenUrl;
    private final String basicCredentials;
    private final String scope;
    private String token;
    private Instant renewAt = Instant.MIN;

    /** @param baseUrl the gateway, e.g. {@code http://127.0.0.1:8080} */
    public PartnerTokenClient(String baseUrl, String clientId, String secret, String scope) {
        this.tokenUrl = URI.create(baseUrl + "/oauth2/token");
        this.basicCredentials = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        this.scope = scope;
    }

    /** A valid access token (fetched anew within a minute of expiry). */
    public synchronized String token() {
        if (Instant.now().isAfter(renewAt)) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(tokenUrl)
                    .header("Authorization", "Basic " + basicCredentials)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                            + URLEncoder.encode(scope, StandardCharsets.UTF_8)))
                    .build());
            Matcher accessToken = ACCESS_TOKEN.matcher(answer.body());
            Matcher expiresIn = EXPIRES_IN.matcher(answer.body());
            if (answer.statusCode() != 200 || !accessToken.find() || !expiresIn.find()) {
                throw new IllegalStateException("No token from " + tokenUrl + ": HTTP " + answer.statusCode() + " " + answer.body());
            }
            token = accessToken.group(1);
            renewAt = Instant.now().plusSeconds(Math.max(0, Long.parseLong(expiresIn.group(1)) - 60));
        }
        return token;
    }

    /** The request with this client's bearer token. */
    public HttpRequest.Builder authorize(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + token());
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
