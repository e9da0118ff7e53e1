package org.livingwell.gateway.admin;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import jakarta.jms.ConnectionFactory;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.routes.council.CouncilCases;
import org.livingwell.routes.council.CouncilFiles;
import org.livingwell.routes.gp.GpRegisterIntake;
import org.livingwell.routes.gp.GpRegisterRoute;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.MessageLog.Entry;
import org.livingwell.routes.log.MessageLog.Status;
import org.livingwell.routes.trust.TrustHl7Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jms.core.JmsTemplate;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** The operators' view of the message log: find received messages, read one, and replay it. */
// No authentication yet: the admin API goes behind an admin scope when security comes.
@RestController
@RequestMapping(path = "/admin/messages", produces = MediaType.APPLICATION_JSON_VALUE)
public class MessageAdminController {

    private static final int MAX_SIZE = 500;
    private static final Logger log = LoggerFactory.getLogger(MessageAdminController.class);

    private final MessageLog messageLog;
    private final GatewayProperties gateway;
    private final JmsTemplate jms;

    public MessageAdminController(MessageLog messageLog, GatewayProperties gateway, ConnectionFactory connectionFactory) {
        this.messageLog = messageLog;
        this.gateway = gateway;
        this.jms = new JmsTemplate(connectionFactory);
        // A replayed message must survive a broker restart like the original did.
        jms.setExplicitQosEnabled(true);
        jms.setDeliveryPersistent(true);
    }

    /** A page of the log, newest first, without the message texts. */
    public record Page(int page, int size, List<Summary> messages) {}

    /** One entry as listed. */
    public record Summary(long id, String feed, String sender, String messageId, String messageType,
            Instant receivedAt, Status status, String reason, int attempts, int duplicates, Instant updatedAt) {

        static Summary of(Entry entry) {
            return new Summary(entry.id(), entry.key().feed(), entry.key().sender(), entry.key().messageId(),
                    entry.messageType(), entry.receivedAt(), entry.status(), entry.reason(), entry.attempts(),
                    entry.duplicates(), entry.updatedAt());
        }
    }

    /** One entry with what it wrote, the notes applying it left, and the message as received. */
    public record Detail(@JsonUnwrapped Summary summary, List<String> resources, List<String> notes, String raw) {}

    /** The answer to a replay: which entry went back onto which queue. */
    public record Replayed(long id, boolean replayed, String queue) {}

    @GetMapping
    public Page list(@RequestParam(required = false) String status, @RequestParam(required = false) String type,
            @RequestParam(required = false) String since, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "50") int size) {
        if (page < 0) {
            throw new ApiError(HttpStatus.BAD_REQUEST, "page must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ApiError(HttpStatus.BAD_REQUEST, "size must be from 1 to " + MAX_SIZE);
        }
        List<Summary> messages = messageLog.search(status(status), blankToNull(type), since(since), page, size)
                .stream().map(Summary::of).toList();
        return new Page(page, size, messages);
    }

    /** How many messages received since then are in each status: what a load test or a dashboard polls. */
    @GetMapping("/summary")
    public Map<MessageLog.Status, Long> summary(@RequestParam String since) {
        return messageLog.counts(since(since));
    }

    @GetMapping("/{id}")
    public Detail detail(@PathVariable long id) {
        Entry entry = entry(id);
        return new Detail(Summary.of(entry), entry.resources(), entry.notes(), entry.raw());
    }

    /** Puts the message back on its feed's inbound queue, as if it had just been received. */
    @PostMapping("/{id}/replay")
    public ResponseEntity<Replayed> replay(@PathVariable long id) {
        Entry entry = entry(id);
        String feed = entry.key().feed();
        if (CouncilCases.PAGE_TYPE.equals(entry.messageType())) {
            // Its text is the council's whole answer, not a case: the case queue could only refuse it again.
            throw new ApiError(HttpStatus.CONFLICT, "message " + id + " is an answer of the council's API that was not"
                    + " a page of cases; it is not replayed: the next poll asks the council for the same cases again");
        }
        String queue = inboundQueue(feed).orElseThrow(() ->
                new ApiError(HttpStatus.CONFLICT, "feed " + feed + " has no inbound queue to replay to"));
        // A file (a GP register, a CLD file) is replayed by its batch id: the file is kept in the data directory.
        boolean file = GpRegisterIntake.FEED.equals(feed) || CouncilFiles.LOG_FEED.equals(feed);
        String body = file ? entry.key().messageId() : entry.raw();
        if (body == null) {
            throw new ApiError(HttpStatus.CONFLICT, "message " + id + " has no text to replay");
        }
        jms.convertAndSend(queue, body, message -> {
            message.setStringProperty(MessageLog.REPLAY_HEADER, String.valueOf(id));
            if (GpRegisterIntake.FEED.equals(feed)) {
                message.setStringProperty(GpRegisterRoute.GROUP_HEADER, entry.key().sender());
            }
            message.setStringProperty(TrustHl7Route.CONTROL_ID_HEADER, entry.key().messageId());
            message.setStringProperty(TrustHl7Route.MESSAGE_TYPE_HEADER, entry.messageType());
            return message;
        });
        log.info("Replayed message {} (log entry {}) onto {}", entry.key(), id, queue);
        return ResponseEntity.accepted().body(new Replayed(id, true, queue));
    }

    /** Where each feed's received messages wait to be applied; a feed that gets a queue is added here. */
    private Optional<String> inboundQueue(String feed) {
        return switch (feed) {
            case TrustHl7Route.SOURCE -> Optional.of(gateway.queues().trustInbound());
            case GpRegisterIntake.FEED -> Optional.of(gateway.queues().gpBatches());
            case CouncilFiles.LOG_FEED -> Optional.of(gateway.queues().councilBatches());
            case CouncilCases.LOG_FEED -> Optional.of(gateway.queues().councilCases());
            default -> Optional.empty();
        };
    }

    private Entry entry(long id) {
        return messageLog.find(id).orElseThrow(() -> new ApiError(HttpStatus.NOT_FOUND, "no message with id " + id));
    }

    private static Status status(String status) {
        if (blankToNull(status) == null) {
            return null;
        }
        try {
            return Status.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            throw new ApiError(HttpStatus.BAD_REQUEST, "status must be one of " + Arrays.toString(Status.values()));
        }
    }

    private static Instant since(String since) {
        if (blankToNull(since) == null) {
            return null;
        }
        try {
            return Instant.parse(since.trim());
        } catch (DateTimeParseException notAnInstant) {
            throw new ApiError(HttpStatus.BAD_REQUEST, "since must be an ISO-8601 instant, e.g. 2026-11-24T09:00:00Z");
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> apiError(ApiError error) {
        return ResponseEntity.status(error.status).body(Map.of("error", error.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> notANumber(MethodArgumentTypeMismatchException mismatch) {
        return ResponseEntity.badRequest().body(Map.of("error", mismatch.getName() + " must be a whole number"));
    }

    /** An answer other than 200, with the reason in words. */
    private static final class ApiError extends RuntimeException {
        private final HttpStatus status;

        ApiError(HttpStatus status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }
}
