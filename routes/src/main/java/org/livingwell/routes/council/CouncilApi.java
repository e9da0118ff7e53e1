package org.livingwell.routes.council;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * The council's case API as the gateway uses it: {@code GET {base}/api/v1/cases?updatedSince=&page=&size=} with a bearer
 * token from the council's OAuth2 token endpoint (client credentials, {@code client_secret_basic}). The token is kept
 * until shortly before it expires, and renewed at once when the API answers 401 (expired early, revoked).
 */
public final class CouncilApi {

    /**
     * @param baseUrl e.g. {@code https://socialcare.council.example}
     * @param tokenUrl the council's OAuth2 token endpoint
     * @param pageSize cases asked for per page
     * @param timeout how long one request may take
     */
    public record Settings(URI baseUrl, URI tokenUrl, String clientId, String clientSecret, int pageSize, Duration timeout) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            Objects.requireNonNull(tokenUrl, "tokenUrl");
            Objects.requireNonNull(timeout, "timeout");
        }
    }

    /** A token is renewed this long before it expires, so that it does not expire on the way. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);

    private final Settings settings;
    private final HttpClient http;
    private final Clock clock;
    private String token;
    private Instant tokenExpires = Instant.MIN;

    public CouncilApi(Settings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(settings.timeout()).build();
    }

    /**
     * One page of the cases the council changed at or after {@code updatedSince}, as the council answered it (read it
     * with {@link CaseJson#page}).
     *
     * @throws CouncilApiException if the council cannot be used now (unreachable, slow, 5xx, 429)
     */
    public synchronized String cases(Instant updatedSince, int page) {
        URI uri = URI.create(settings.baseUrl().toString().replaceAll("/+$", "") + "/api/v1/cases?updatedSince="
                + URLEncoder.encode(updatedSince.toString(), StandardCharsets.UTF_8) + "&page=" + page + "&size=" + settings.pageSize());
        HttpResponse<String> response = get(uri, token(false));
        if (response.statusCode() == 401) {
            response = get(uri, token(true));
        }
        int status = response.statusCode();
        if (status == 429) {
            throw new CouncilApiException("the council asked us to slow down (429)", retryAfter(response).orElse(null), null);
        }
        if (status != 200) {
            throw new CouncilApiException("the council's case API answered " + status + " for page " + page, null, null);
        }
        return response.body();
    }

    private HttpResponse<String> get(URI uri, String bearer) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout())
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json").GET().build();
        return send(request, "the council's case API");
    }

    /** The token to use: the one kept, unless it is (nearly) expired or {@code renew} says it was refused. */
    private String token(boolean renew) {
        if (!renew && token != null && clock.instant().isBefore(tokenExpires.minus(EXPIRY_MARGIN))) {
            return token;
        }
        String credentials = URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(settings.tokenUrl()).timeout(settings.timeout())
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
        Instant asked = clock.instant();
        HttpResponse<String> response = send(request, "the council's token endpoint");
        if (response.statusCode() != 200) {
            throw new CouncilApiException("the council's token endpoint answered " + response.statusCode(),
                    response.statusCode() == 429 ? retryAfter(response).orElse(null) : null, null);
        }
        try {
            JsonNode json = CaseJson.MAPPER.readTree(response.body());
            if (!json.path("access_token").isTextual()) {
                throw new CouncilApiException("the council's token endpoint gave no access_token", null, null);
            }
            token = json.path("access_token").asText();
            tokenExpires = asked.plusSeconds(json.path("expires_in").asLong(300));
            return token;
        } catch (IOException e) {
            throw new CouncilApiException("the council's token endpoint did not answer JSON", null, e);
        }
    }

    private HttpResponse<String> send(HttpRequest request, String what) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new CouncilApiException(what + " could not be reached or did not answer in time: " + e, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CouncilApiException(what + ": interrupted", null, e);
        }
    }

    /** Retry-After as seconds or as an HTTP date. */
    private Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(String::strip).flatMap(value -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
            } catch (NumberFormatException notSeconds) {
                try {
                    Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                    return Optional.of(Duration.between(clock.instant(), at).isNegative() ? Duration.ZERO : Duration.between(clock.instant(), at));
                } catch (DateTimeParseException notDate) {
                    return Optional.empty();
                }
            }
        });
    }
}
