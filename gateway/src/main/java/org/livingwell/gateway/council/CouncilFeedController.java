package org.livingwell.gateway.council;

import java.util.Map;
import java.util.Optional;
import org.livingwell.routes.council.CouncilPoller;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The council feed's state for operators: {@code GET /admin/council} (the poll's state and watermark),
 * {@code POST /admin/council/poll} (poll now), and the health indicator {@code council} (DOWN while the council's API
 * cannot be used; the rest of the gateway works on).
 */
@RestController
@RequestMapping("/admin/council")
public class CouncilFeedController {

    private final Optional<CouncilPoller> poller;

    public CouncilFeedController(Optional<CouncilPoller> poller) {
        this.poller = poller;
    }

    @GetMapping
    public ResponseEntity<?> status() {
        return poller.<ResponseEntity<?>>map(p -> ResponseEntity.ok(p.status()))
                .orElseGet(() -> ResponseEntity.ok(Map.of("state", "OFF", "reason", "gateway.council.base-url is not set")));
    }

    /** Polls at the next tick (within a second), even while a failed poll is waiting out its back-off. */
    @PostMapping("/poll")
    public ResponseEntity<Map<String, Object>> pollNow() {
        if (poller.isEmpty()) {
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("triggered", false,
                    "reason", "the council's API is not configured (gateway.council.base-url)"));
        }
        poller.get().pollSoon();
        return ResponseEntity.accepted().body(Map.of("triggered", true));
    }

    /** Health of the council's API poll: UNKNOWN when off or not yet polled, UP after a poll that worked, DOWN after one that failed. */
    @Component("council")
    static class CouncilHealth implements HealthIndicator {

        private final Optional<CouncilPoller> poller;

        CouncilHealth(Optional<CouncilPoller> poller) {
            this.poller = poller;
        }

        @Override
        public Health health() {
            if (poller.isEmpty()) {
                return Health.unknown().withDetail("api", "not configured (gateway.council.base-url)").build();
            }
            CouncilPoller.Status status = poller.get().status();
            Health.Builder health = switch (status.state()) {
                case "UP" -> Health.up();
                case "DOWN" -> Health.down();
                default -> Health.unknown();
            };
            health.withDetail("consecutiveFailures", status.consecutiveFailures());
            if (status.lastError() != null) {
                health.withDetail("lastError", status.lastError());
            }
            if (status.lastSuccess() != null) {
                health.withDetail("lastSuccess", status.lastSuccess().toString());
            }
            if (status.watermark() != null) {
                health.withDetail("watermark", status.watermark().toString());
            }
            return health.build();
        }
    }
}
