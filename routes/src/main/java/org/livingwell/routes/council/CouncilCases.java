package org.livingwell.routes.council;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.MessageLog.Entry;
import org.livingwell.routes.log.MessageLog.Key;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordChange.Origin;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies cases of the council's API, as JSON, to the record: each case gets a message-log entry (feed
 * {@link #LOG_FEED}, the council, {@code <personId>@<updatedAt>}), so a case seen again is not applied again; a case
 * that cannot be read or fails the contract is kept there as rejected, with the reason and its JSON, and the others of
 * its page are applied together.
 */
public final class CouncilCases {

    /** The API's cases in the message log (files are {@link CouncilFiles#LOG_FEED}). */
    public static final String LOG_FEED = "council-cases";
    public static final String MESSAGE_TYPE = "COUNCIL-CASE";
    /** An answer of the council's API that is not a page of cases. */
    public static final String PAGE_TYPE = "COUNCIL-PAGE";

    /** What became of a page's cases. */
    public record Outcome(int applied, int rejected, int refused, int seenBefore, Optional<Instant> latestUpdate, List<String> personIds) {}

    private static final Logger LOG = LoggerFactory.getLogger(CouncilCases.class);

    private final RecordWriter writer;
    private final MessageLog messageLog;
    private final CaseValidator validator;
    private final CouncilTranslator translator;
    private final String councilOds;
    private final Clock clock;

    public CouncilCases(RecordWriter writer, MessageLog messageLog, CaseValidator validator, CouncilTranslator translator,
            String councilOds, Clock clock) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.councilOds = Objects.requireNonNull(councilOds, "councilOds");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Applies the cases (one page) in one transaction where they allow.
     *
     * @param again apply even cases the log says were applied or rejected before (an operator's replay)
     * @throws RuntimeException if the record could not be written (unreachable): nothing of the valid cases is logged
     *     as applied, so they are applied when tried again
     */
    public Outcome apply(List<JsonNode> cases, boolean again) {
        Instant receivedAt = clock.instant();
        // The page's log entries in one transaction before the record is written and one after, not two commits a case.
        Received received = writer.inTransaction(() -> receive(cases, again, receivedAt));
        Map<Integer, RecordRejectedException> refusals = received.changes.isEmpty() ? Map.of() : writer.writeAll(
                new Origin(CouncilTranslator.FEED, councilOds, "page@" + receivedAt, String.valueOf(received.latest)),
                received.changes);
        writer.inTransaction(() -> {
            for (int i = 0; i < received.changes.size(); i++) {
                RecordRejectedException refusal = refusals.get(i);
                if (refusal == null) {
                    messageLog.applied(received.keys.get(i), 1, List.of(), received.changes.get(i).notes());
                } else {
                    messageLog.failed(received.keys.get(i), MESSAGE_TYPE, receivedAt, received.raws.get(i),
                            MessageLog.Status.DEAD_LETTERED, "refused by the record: " + refusal.getMessage());
                }
            }
            return null;
        });
        return new Outcome(received.changes.size() - refusals.size(), received.rejected, refusals.size(), received.seenBefore,
                Optional.ofNullable(received.latest), received.personIds);
    }

    /** A page's cases logged and checked: the changes of the valid ones, not yet applied. */
    private static final class Received {
        final List<Key> keys = new ArrayList<>();
        final List<String> raws = new ArrayList<>();
        final List<RecordChange> changes = new ArrayList<>();
        final List<String> personIds = new ArrayList<>();
        Instant latest;
        int rejected;
        int seenBefore;
    }

    private Received receive(List<JsonNode> cases, boolean again, Instant receivedAt) {
        Received received = new Received();
        for (JsonNode json : cases) {
            String raw = json.toString();
            String personId = json.path("personId").asText("");
            Optional<Instant> updatedAt = instant(json.path("updatedAt").asText(""));
            if (updatedAt.isPresent() && (received.latest == null || updatedAt.get().isAfter(received.latest))) {
                received.latest = updatedAt.get();
            }
            if (!personId.isEmpty()) {
                received.personIds.add(personId);
            }
            Key key = new Key(LOG_FEED, councilOds, messageId(personId, updatedAt, raw));
            Entry entry = messageLog.accepted(key, MESSAGE_TYPE, receivedAt, raw);
            if (entry.status() != MessageLog.Status.ACCEPTED && !again) {
                received.seenBefore++;
                continue;
            }
            Optional<String> problem;
            CouncilCase checked = null;
            try {
                CaseValidator.Checked result = validator.check(CaseJson.input(json), true);
                checked = result.valid().orElse(null);
                problem = result.valid().isPresent() ? Optional.empty() : Optional.of(result.violations().stream()
                        .map(violation -> violation.field() + " " + violation.message()
                                + (violation.value().isEmpty() ? "" : " (\"" + violation.value() + "\")"))
                        .collect(Collectors.joining("; ")));
            } catch (JsonProcessingException | IllegalArgumentException unreadable) {
                problem = Optional.of("the case does not have the contract's shape: "
                        + (unreadable instanceof JsonProcessingException json2 ? json2.getOriginalMessage() : unreadable.getMessage()));
            } catch (RuntimeException unforeseen) {
                // One case the checks did not foresee must not stop the poll for every case after it.
                problem = Optional.of("the case could not be checked: " + unforeseen);
            }
            if (problem.isPresent()) {
                received.rejected++;
                messageLog.failed(key, MESSAGE_TYPE, receivedAt, raw, MessageLog.Status.REJECTED, problem.get());
                LOG.warn("Council case {} rejected: it fails the contract (reason in the message log)", key.messageId().hashCode());
                continue;
            }
            received.keys.add(key);
            received.raws.add(raw);
            received.changes.add(translator.translate(checked, key.messageId()));
        }
        return received;
    }

    /**
     * A page as the council sent it, read; one that is not a page of cases (not JSON, say) is kept in the message log as
     * rejected (type {@link #PAGE_TYPE}, with the reason and the text) for an operator to see.
     *
     * @throws CouncilApiException for such a page: the poll stops there and is tried again later
     */
    CaseJson.Page read(String body) {
        try {
            return CaseJson.page(body);
        } catch (CouncilApiException unreadable) {
            Key key = new Key(LOG_FEED, councilOds, "page@" + digest(body));
            messageLog.failed(key, PAGE_TYPE, clock.instant(), body, MessageLog.Status.REJECTED, unreadable.getMessage());
            throw unreadable;
        }
    }

    /** {@code <personId>@<updatedAt>}; a case without both is named by a digest of its JSON, so the same text is the same case. */
    static String messageId(String personId, Optional<Instant> updatedAt, String raw) {
        if (!personId.isEmpty() && updatedAt.isPresent()) {
            return personId + "@" + updatedAt.get();
        }
        return "unreadable@" + digest(raw);
    }

    private static String digest(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(String.valueOf(text).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Instant> instant(String text) {
        try {
            return text.isBlank() ? Optional.empty() : Optional.of(Instant.parse(text.strip()));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
