package org.livingwell.routes.council;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the council's case API from the watermark and applies what changed; keeps the feed's state for the health
 * indicator and the admin API.
 *
 * <p>A poll reads every page of {@code updatedSince=<watermark>} and applies each page's cases as it goes. Only when a
 * pass over the pages was steady (no person seen twice: no case moved between pages while we read) does the watermark
 * move, to the newest {@code updatedAt} seen; otherwise another pass is made at once. A case seen again is recognised
 * by the message log ({@code <personId>@<updatedAt>}) and not applied twice. If the council cannot be used (down, slow,
 * 429, an unreadable answer) or the record cannot be written, the poll stops, the watermark stays, the feed is DOWN,
 * and the next attempt waits: the council's Retry-After, else a back-off doubling from the store retry settings.
 *
 * <p>{@link #tick()} is called often (a Camel timer); it polls when one is due.
 */
public final class CouncilPoller {

    /** Passes over the pages in one poll before giving up on a council whose cases keep moving. */
    static final int MAX_PASSES = 5;

    /** What the feed is doing, for health and the admin API. */
    public record Status(String state, Instant lastSuccess, Instant lastFailure, String lastError, Instant watermark,
            Instant nextPoll, long casesApplied, long casesRejected, int consecutiveFailures) {}

    /** The back-off between failed polls. */
    public record Backoff(Duration initial, Duration max, double multiplier) {}

    private static final Logger LOG = LoggerFactory.getLogger(CouncilPoller.class);

    private final CouncilApi api;
    private final CouncilCases cases;
    private final CouncilWatermark watermark;
    private final Duration interval;
    private final Backoff backoff;
    private final Clock clock;

    // Written by the one poll at a time, read by health checks meanwhile.
    private volatile Instant nextPoll;
    private volatile Instant lastSuccess;
    private volatile Instant lastFailure;
    private volatile String lastError;
    private volatile int failures;
    private volatile long applied;
    private volatile long rejected;

    public CouncilPoller(CouncilApi api, CouncilCases cases, CouncilWatermark watermark, Duration interval, Backoff backoff,
            Clock clock) {
        this.api = Objects.requireNonNull(api, "api");
        this.cases = Objects.requireNonNull(cases, "cases");
        this.watermark = Objects.requireNonNull(watermark, "watermark");
        this.interval = Objects.requireNonNull(interval, "interval");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.nextPoll = clock.instant();
    }

    /** Polls if a poll is due. */
    public void tick() {
        if (!clock.instant().isBefore(nextPoll)) {
            poll();
        }
    }

    /** Asks for a poll at the next tick (the admin API's trigger), even while backing off. */
    public void pollSoon() {
        nextPoll = clock.instant();
    }

    /** One poll now; returns whether it succeeded. */
    public synchronized boolean poll() {
        try {
            Instant since = watermark.load().orElse(Instant.EPOCH);
            for (int pass = 1; ; pass++) {
                Pass result = pass(since);
                if (result.steady) {
                    if (result.latest != null && result.latest.isAfter(since)) {
                        watermark.save(result.latest);
                    }
                    break;
                }
                if (pass == MAX_PASSES) {
                    throw new CouncilApiException("the council's cases kept moving between pages in " + MAX_PASSES
                            + " passes; the watermark stays", null, null);
                }
                LOG.info("Council cases moved between pages while they were read: reading them again");
            }
            failures = 0;
            lastSuccess = clock.instant();
            nextPoll = lastSuccess.plus(interval);
            return true;
        } catch (RuntimeException e) {
            failures++;
            lastFailure = clock.instant();
            lastError = e.getMessage();
            Duration wait = e instanceof CouncilApiException api && api.retryAfter().isPresent()
                    ? api.retryAfter().get() : backoffAfter(failures);
            nextPoll = lastFailure.plus(wait);
            LOG.warn("Council poll failed (attempt {}), next in {}: {}", failures, wait, e.getMessage());
            return false;
        }
    }

    private record Pass(boolean steady, Instant latest) {}

    private Pass pass(Instant since) {
        Set<String> seen = new HashSet<>();
        boolean steady = true;
        Instant latest = null;
        int totalPages = -1;
        for (int page = 0; totalPages < 0 || page < totalPages; page++) {
            CaseJson.Page answer = cases.read(api.cases(since, page));
            if (totalPages >= 0 && answer.totalPages() != totalPages) {
                steady = false;
            }
            totalPages = answer.totalPages();
            List<JsonNode> pageCases = answer.cases();
            CouncilCases.Outcome outcome = cases.apply(pageCases, false);
            applied += outcome.applied();
            rejected += outcome.rejected() + outcome.refused();
            for (String personId : outcome.personIds()) {
                if (!seen.add(personId)) {
                    steady = false;
                }
            }
            if (outcome.latestUpdate().isPresent() && (latest == null || outcome.latestUpdate().get().isAfter(latest))) {
                latest = outcome.latestUpdate().get();
            }
            if (pageCases.isEmpty()) {
                break;
            }
        }
        return new Pass(steady, latest);
    }

    private Duration backoffAfter(int failures) {
        double millis = backoff.initial().toMillis() * Math.pow(backoff.multiplier(), failures - 1);
        return Duration.ofMillis((long) Math.min(millis, backoff.max().toMillis()));
    }

    public Status status() {
        String state = failures > 0 ? "DOWN" : lastSuccess != null ? "UP" : "STARTING";
        return new Status(state, lastSuccess, lastFailure, failures > 0 ? lastError : null, watermark.load().orElse(null),
                nextPoll, applied, rejected, failures);
    }
}
