package org.livingwell.routes.council;

import java.time.Duration;
import java.util.Optional;

/**
 * The council's API could not be used this time: unreachable, too slow, a 5xx, a 429, an answer that is not a page of
 * cases. The poll stops where it is (the watermark stays at what was applied) and is tried again later.
 */
public final class CouncilApiException extends RuntimeException {

    private final Duration retryAfter;

    /** @param retryAfter how long the council asked us to wait (429 Retry-After), or null */
    public CouncilApiException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
