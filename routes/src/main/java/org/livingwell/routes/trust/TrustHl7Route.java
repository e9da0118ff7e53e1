package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.livingwell.routes.errors.DeadLetterQueue;
import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.log.MessageLog.Status;
import org.livingwell.routes.store.AppliedChange;
import org.livingwell.routes.store.GroupCommit;
import org.livingwell.routes.store.RecordRejectedException;
import org.livingwell.routes.store.RecordChange;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.trust.hl7.Hl7Acknowledgements;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Parser;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust EPR's HL7 v2 feed: an MLLP listener that checks each message, acknowledges it once it is
 * safely on a durable queue, and queue consumers that apply it to the shared record, one patient's
 * messages in arrival order and different patients in parallel, retrying for as long as the record is
 * unreachable.
 *
 * <p>ACK policy: {@code AA} once queued; {@code AE} with ERR for content that cannot become a record
 * (found by translating at receipt) and when the broker cannot take the message; {@code AR} for what is
 * not a usable HL7 message of a supported type. Every answered message is in the {@link MessageLog}.
 */
public final class TrustHl7Route extends RouteBuilder {

    /** The feed's name: its routes' group, and the source on its dead letters ({@link DeadLetterQueue#SOURCE_HEADER}). */
    public static final String SOURCE = AdtTranslator.FEED;
    public static final String RECEIVE_ROUTE_ID = "trust-hl7-receive";
    public static final String STORE_ROUTE_ID = "trust-hl7-store";

    /** Header on queued and dead-lettered messages: the sender's MSH-10 message control ID. */
    public static final String CONTROL_ID_HEADER = "Hl7ControlId";
    /** Header on queued and dead-lettered messages: the MSH-9 type, e.g. {@code ADT^A04}. */
    public static final String MESSAGE_TYPE_HEADER = "Hl7MessageType";
    /** Header on queued messages: the sending system, MSH-3^MSH-4. */
    public static final String SENDER_HEADER = "Hl7Sender";
    /** JMS message group: the broker gives one patient's messages to one consumer at a time, in order. */
    static final String GROUP_HEADER = "JMSXGroupID";

    private static final String LISTENER = "mllp:{{gateway.mllp.host}}:{{gateway.mllp.port}}"
            + "?autoAck=false&stringPayload=true&hl7Headers=false"
            + "&maxConcurrentConsumers={{gateway.mllp.max-connections}}&backlog={{gateway.mllp.max-connections}}";
    private static final String INBOUND_QUEUE = "jms:queue:{{gateway.queues.trust-inbound}}";

    // Exchange properties the receive route passes between its steps.
    private static final String PARSED = "LwHl7Parsed";
    private static final String PREPARED_ACK = "LwHl7PreparedAck";
    private static final String REJECTED = "LwHl7Rejected";

    // camel-mllp reads the field separator at byte 3 of the received message before it sends an
    // ACK the route provides, and fails on anything shorter; those frames get a closed connection.
    private static final int SHORTEST_ANSWERABLE = 4;
    /** The message log keeps the text of every message for replay, up to this size (an ADT is a few KB). */
    static final int LONGEST_TAKEN = 1_000_000;

    private static final Logger LOG = LoggerFactory.getLogger(TrustHl7Route.class);

    /** Receipts waiting to be written to the message log, at most. */
    static final int RECEIPTS_WAITING = 10_000;
    /** Receipts written to the message log in one transaction, at most. */
    static final int RECEIPTS_PER_TRANSACTION = 500;

    private ExecutorService receiptLogging;
    private final BlockingQueue<Receipt> receipts = new LinkedBlockingQueue<>(RECEIPTS_WAITING);
    private final AtomicBoolean receiptsScheduled = new AtomicBoolean();
    /** Queued messages of different patients, applied together: see {@link #applyTogether}. */
    private GroupCommit<Queued, AppliedChange> groupCommit;
    private final RecordWriter writer;
    private final MessageLog messageLog;
    private final Hl7Parser parser = new Hl7Parser();
    private final Hl7Acknowledgements acknowledgements = new Hl7Acknowledgements(parser);
    private final TrustFeedTranslator translator = new TrustFeedTranslator();

    private final MllpAccess access;

    public TrustHl7Route(RecordWriter writer, MessageLog messageLog, MllpAccess access) {
        this.writer = Objects.requireNonNull(writer, "writer");
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
        this.access = Objects.requireNonNull(access, "access");
    }

    /** The listener as LISTENER configures it, over TLS if configured, closing connections from sources not allowed. */
    private MllpEndpoint listener() {
        MllpEndpoint configured = getContext().getEndpoint(LISTENER, MllpEndpoint.class);
        if (access.tls() != null) {
            configured.getConfiguration().setSslContextParameters(access.tls().sslContextParameters());
        }
        LOG.info("MLLP listener on port {} takes connections from {} only (gateway.mllp.allowed-sources){}",
                configured.getPort(), access.allowedSources(), access.tls() == null ? ", plain TCP"
                        : access.tls().requireClientCertificate() ? ", TLS with client certificates required" : ", TLS");
        return new GuardedMllpEndpoint(configured, access.allowedSources());
    }

    @Override
    public void configure() {
        // One thread writes the receipts; at most one run of it waits (receiptsScheduled), the receipts in their own queue.
        ThreadPoolProfile receiptThread = new ThreadPoolProfile("trust-hl7-receipts");
        receiptThread.setPoolSize(1);
        receiptThread.setMaxPoolSize(1);
        receiptThread.setMaxQueueSize(2);
        receiptThread.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        receiptLogging = getContext().getExecutorServiceManager().newThreadPool(this, "trust-hl7-receipts", receiptThread);
        int consumers = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{gateway.trust.store-consumers}}"));
        int lanes = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{gateway.trust.apply-lanes}}"));
        groupCommit = new GroupCommit<>(this::applyTogether, lanes, consumers);

        from(listener())
                .routeId(RECEIVE_ROUTE_ID)
                .routeGroup(SOURCE)
                // Anything failing here (the broker down, above all) means we have not taken the
                // message: answer AE, never AA, so the sender keeps it and resends.
                .onException(Exception.class)
                    .handled(true)
                    .maximumRedeliveries(0)
                    .process(this::answerNotTaken)
                .end()
                .process(this::inspect)
                .choice()
                    .when(exchange -> exchange.getProperty(REJECTED) == null)
                        // Persistent send; Artemis blocks until the message is on disk.
                        .to(ExchangePattern.InOnly, INBOUND_QUEUE + "?deliveryPersistent=true")
                    .otherwise()
                        .to(ExchangePattern.InOnly, DeadLetterQueue.ENDPOINT)
                .end()
                .process(this::logReceipt)
                // Only now that the message is safe may the sender forget it.
                .process(this::answer);

        // Consumers in local JMS transactions: a message leaves the queue only when the record has taken
        // it (or it has been dead-lettered). Message groups keep each patient's messages in order on one
        // consumer while other patients' go on in parallel; the consumers' messages are applied together,
        // apply-lanes groups at a time (GroupCommit). CACHE_CONSUMER: with a transaction manager
        // Spring's listener container would otherwise open a connection, session and consumer per message.
        from(INBOUND_QUEUE + "?transacted=true&concurrentConsumers={{gateway.trust.store-consumers}}"
                + "&maxConcurrentConsumers={{gateway.trust.store-consumers}}&cacheLevelName=CACHE_CONSUMER")
                .routeId(STORE_ROUTE_ID)
                .routeGroup(SOURCE)
                .routeConfigurationId(FeedErrorHandling.ID)
                .process(this::store);
    }

    /** Decides whether to queue the message or dead-letter it, and prepares the matching ACK. */
    private void inspect(Exchange exchange) {
        String text = Objects.requireNonNullElse(exchange.getMessage().getBody(String.class), "");
        if (text.length() < SHORTEST_ANSWERABLE) {
            reject(exchange, "not an HL7 v2 message: " + text.length() + " characters", null);
            exchange.setProperty(MllpConstants.MLLP_CLOSE_CONNECTION_BEFORE_SEND, true);
            LOG.warn("Closed a connection on {} that sent a {}-character frame", RECEIVE_ROUTE_ID, text.length());
            return;
        }
        if (text.length() > LONGEST_TAKEN) {
            String reason = "message of " + text.length() + " characters; this feed takes at most " + LONGEST_TAKEN;
            reject(exchange, reason, acknowledgements.rejectUnparsed(text, ErrorCode.APPLICATION_INTERNAL_ERROR, reason));
            LOG.warn("Rejected a {}-character message on {}", text.length(), RECEIVE_ROUTE_ID);
            return;
        }
        Message message;
        try {
            message = parser.parse(text);
        } catch (Exception unparseable) {
            // HAPI throws runtime exceptions as well as HL7Exception on some malformed input.
            ErrorCode code = unparseable instanceof HL7Exception hl7
                    ? hl7.getError() : ErrorCode.APPLICATION_INTERNAL_ERROR;
            String reason = "not a parseable HL7 v2 message: " + unparseable.getMessage();
            reject(exchange, reason, acknowledgements.rejectUnparsed(text, code, reason));
            LOG.warn("Rejected a message on {} that is not parseable HL7 v2 ({})",
                    RECEIVE_ROUTE_ID, unparseable.getClass().getSimpleName());
            LOG.debug("Unparseable message: {}; text: {}", reason, text);
            return;
        }
        Hl7Header header;
        try {
            header = Hl7Header.of(message);
        } catch (HL7Exception unreadable) {
            String reason = "MSH unreadable: " + unreadable.getMessage();
            reject(exchange, reason, acknowledgements.rejectUnparsed(text, unreadable.getError(), reason));
            LOG.warn("Rejected a message on {} whose MSH cannot be read", RECEIVE_ROUTE_ID);
            return;
        }
        exchange.setProperty(PARSED, message);
        exchange.getMessage().setHeader(CONTROL_ID_HEADER, header.controlId());
        exchange.getMessage().setHeader(MESSAGE_TYPE_HEADER, header.type());
        exchange.getMessage().setHeader(SENDER_HEADER, header.sender());
        LOG.debug("Received {} control id {}: {}", header.type(), header.controlId(), text);

        String refusal = refusal(header, exchange);
        if (refusal != null) {
            ErrorCode code = refusal.startsWith("MSH-9") ? ErrorCode.UNSUPPORTED_MESSAGE_TYPE : ErrorCode.REQUIRED_FIELD_MISSING;
            reject(exchange, refusal, acknowledgements.reject(message, code, refusal));
            LOG.warn("Rejected {} control id {}: {}", header.type(), header.controlId(), refusal);
            return;
        }
        RecordChange change;
        try {
            change = translator.translate(message);
        } catch (Hl7TranslationException unusable) {
            reject(exchange, unusable.whatWentWrong() + ": " + unusable.getMessage(),
                    acknowledgements.contentError(message, unusable));
            LOG.warn("Answered AE to {} control id {}: {}", header.type(), header.controlId(), unusable.loggableSummary());
            return;
        }
        exchange.getMessage().setHeader(GROUP_HEADER, patientGroup(change));
        exchange.setProperty(PREPARED_ACK, acknowledgements.accept(message));
        LOG.debug("Queued {} control id {}", header.type(), header.controlId());
    }

    /** Why the message is refused (AR) before its content is looked at, or null. */
    private String refusal(Hl7Header header, Exchange exchange) {
        if (header.controlId().isBlank()) {
            return "MSH-10: no message control ID; a message that cannot be acknowledged by its ID is not taken";
        }
        if (!translator.supports(header)) {
            return "MSH-9: " + translator.whyNotSupported(header);
        }
        String expected = exchange.getContext().resolvePropertyPlaceholders("{{gateway.mllp.processing-id}}");
        if (!expected.equalsIgnoreCase(header.processingId())) {
            return "MSH-11: processing ID '" + header.processingId() + "' where this gateway takes '" + expected + "'";
        }
        return null;
    }

    /**
     * The message group: the patient the message is about (for a merge, the surviving patient), so that
     * one patient's messages are applied in the order they arrived.
     */
    private static String patientGroup(RecordChange change) {
        return change.upserts().stream()
                .map(upsert -> upsert.search())
                .filter(search -> search.startsWith("Patient?"))
                .findFirst()
                .orElse(change.origin().sender());
    }

    private void answer(Exchange exchange) {
        String ack = exchange.getProperty(PREPARED_ACK, String.class);
        if (ack != null) {
            exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_STRING, ack);
        }
    }

    private void reject(Exchange exchange, String reason, String nack) {
        exchange.setProperty(REJECTED, reason);
        exchange.setProperty(PREPARED_ACK, nack);
        DeadLetterQueue.label(exchange, SOURCE, reason);
    }

    /**
     * The message log learns of every answered message, off the ACK's path: the message is already safe on
     * a queue, so a log that is slow or cannot be written (the database down) does not hold up the sender;
     * the store consumer logs an accepted message again when it takes it. Receipts are written by one thread,
     * all those waiting in one transaction (one commit, one sync to disk, instead of one per message). At most
     * {@link #RECEIPTS_WAITING} receipts wait to be logged; beyond that they are dropped with a warning
     * (rejected messages are still on the dead-letter queue).
     */
    private void logReceipt(Exchange exchange) {
        String controlId = exchange.getMessage().getHeader(CONTROL_ID_HEADER, String.class);
        if (controlId == null || controlId.isBlank()) {
            return;
        }
        Receipt receipt = new Receipt(key(exchange), exchange.getMessage().getHeader(MESSAGE_TYPE_HEADER, String.class),
                Instant.now(), exchange.getMessage().getBody(String.class), exchange.getProperty(REJECTED, String.class));
        if (!receipts.offer(receipt)) {
            LOG.warn("Receipt of {} control id {} not logged: {} receipts already waiting", receipt.type(), controlId, RECEIPTS_WAITING);
            return;
        }
        if (receiptsScheduled.compareAndSet(false, true)) {
            try {
                receiptLogging.execute(this::logReceipts);
            } catch (RejectedExecutionException stopping) {
                receiptsScheduled.set(false);
                LOG.warn("Receipts not logged: the receipt logger is stopping");
            }
        }
    }

    /** A message answered, to be written to the message log; {@code rejected} is the reason it was refused, or null. */
    private record Receipt(MessageLog.Key key, String type, Instant receivedAt, String raw, String rejected) {}

    private void logReceipts() {
        // Cleared first: a receipt offered from now on schedules another run, so none is left waiting.
        receiptsScheduled.set(false);
        List<Receipt> batch = new ArrayList<>();
        while (receipts.drainTo(batch, RECEIPTS_PER_TRANSACTION) > 0) {
            try {
                writer.inTransaction(() -> {
                    batch.forEach(this::logReceipt);
                    return null;
                });
            } catch (RuntimeException together) {
                // One receipt may be at fault (or the database is down): each alone, so the others are kept.
                for (Receipt receipt : batch) {
                    try {
                        logReceipt(receipt);
                    } catch (RuntimeException unavailable) {
                        LOG.warn("Could not log the receipt of {} control id {} ({})", receipt.type(),
                                receipt.key().messageId(), unavailable.getClass().getSimpleName());
                    }
                }
            }
            batch.clear();
        }
    }

    private void logReceipt(Receipt receipt) {
        if (receipt.rejected() != null) {
            messageLog.failed(receipt.key(), receipt.type(), receipt.receivedAt(), receipt.raw(), Status.REJECTED, receipt.rejected());
        } else {
            messageLog.accepted(receipt.key(), receipt.type(), receipt.receivedAt(), receipt.raw());
        }
    }

    private static MessageLog.Key key(Exchange exchange) {
        return new MessageLog.Key(SOURCE, exchange.getMessage().getHeader(SENDER_HEADER, "", String.class),
                exchange.getMessage().getHeader(CONTROL_ID_HEADER, "", String.class));
    }

    /** AE for a message we failed to queue; the exception is about our broker, not the patient. */
    private void answerNotTaken(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (exchange.getProperty(ExchangePropertyKey.ERRORHANDLER_BRIDGE, false, Boolean.class)) {
            // camel-mllp bridges its own socket and ACK failures into this handler after the route
            // has run; there is no message to answer any more.
            LOG.warn("MLLP listener {} could not answer: {}", RECEIVE_ROUTE_ID, String.valueOf(cause));
            return;
        }
        String reason = "the gateway could not take the message just now; please resend";
        Message message = exchange.getProperty(PARSED, Message.class);
        String text = Objects.requireNonNullElse(exchange.getMessage().getBody(String.class), "");
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_STRING, message != null
                ? acknowledgements.error(message, reason)
                : acknowledgements.errorUnparsed(text, reason));
        LOG.error("Could not queue {} control id {}; answered AE so the sender resends: {}",
                exchange.getMessage().getHeader(MESSAGE_TYPE_HEADER),
                exchange.getMessage().getHeader(CONTROL_ID_HEADER),
                String.valueOf(cause));
    }

    /**
     * Applies a queued message, once: the message log's record of it and the record's change are written
     * in one transaction, so a redelivery or a resend of an applied message changes nothing. The consumer
     * waits while its message is applied, most likely together with other consumers' messages.
     */
    private void store(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        Message message = parse(text);
        Hl7Header header = Hl7Header.read(message);
        MessageLog.Key key = new MessageLog.Key(SOURCE, header.sender(), header.controlId());
        exchange.setProperty(FeedErrorHandling.MESSAGE_KEY, key);
        Queued queued = new Queued(key, header.type(), text, translate(message),
                exchange.getMessage().getHeader(MessageLog.REPLAY_HEADER) != null,
                exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1);
        // A merge touches two patients' records (and their groups): it goes alone, as it always did.
        AppliedChange applied = queued.change().merge().isPresent() ? applyAlone(queued) : groupCommit.apply(queued);
        if (applied == null) {
            LOG.debug("{} control id {} was applied before; not applied again", queued.type(), key.messageId());
        } else {
            LOG.debug("Applied {} control id {} to the shared record ({} resources written{})", queued.type(), key.messageId(),
                    applied.written().size(), applied.notes().isEmpty() ? "" : "; " + String.join("; ", applied.notes()));
        }
    }

    /** A message taken off the queue, translated, waiting to be applied. */
    private record Queued(MessageLog.Key key, String type, String text, RecordChange change, boolean replay, int attempt) {}

    /**
     * Applies the messages of several consumers (so of different patients) in one transaction: one look-up per
     * type, one Provenance citing each message, one commit. If the record refuses any of them, each is applied
     * alone, so that only the one at fault is refused (and dead-lettered by its consumer). A failure of the store
     * itself fails them all, and each consumer retries its own.
     *
     * @return per message what it wrote, or null for a message applied before
     */
    private List<GroupCommit.Outcome<AppliedChange>> applyTogether(List<Queued> group) {
        if (group.size() > 1) {
            try {
                return inOneTransaction(group).stream().map(GroupCommit.Outcome::of).toList();
            } catch (RecordRejectedException refused) {
                LOG.debug("A group of {} messages was refused; applying each alone", group.size());
            }
        }
        List<GroupCommit.Outcome<AppliedChange>> outcomes = new ArrayList<>();
        for (Queued queued : group) {
            try {
                outcomes.add(GroupCommit.Outcome.of(applyAlone(queued)));
            } catch (RuntimeException failed) {
                outcomes.add(GroupCommit.Outcome.failed(failed));
            }
        }
        return outcomes;
    }

    /** Applies one message in a transaction of its own; null if it was applied before. */
    private AppliedChange applyAlone(Queued queued) {
        return inOneTransaction(List.of(queued)).get(0);
    }

    /**
     * Applies the messages in one transaction with their message-log entries, leaving out those applied before.
     *
     * @return per message what it wrote, or null for a message applied before
     */
    private List<AppliedChange> inOneTransaction(List<Queued> messages) {
        return writer.inTransaction(messages.stream().map(Queued::change).toList(), () -> {
            List<Queued> toApply = new ArrayList<>();
            for (Queued queued : messages) {
                if (!isDuplicate(queued)) {
                    toApply.add(queued);
                }
            }
            List<AppliedChange> applied = toApply.isEmpty() ? List.of()
                    : writer.applyTogether(toApply.stream().map(Queued::change).toList());
            Map<Queued, AppliedChange> byMessage = new IdentityHashMap<>();
            for (int index = 0; index < toApply.size(); index++) {
                Queued queued = toApply.get(index);
                AppliedChange result = applied.get(index);
                messageLog.applied(queued.key(), queued.attempt(), result.written(), result.notes());
                byMessage.put(queued, result);
            }
            // Stream.toList keeps the nulls of messages applied before.
            return messages.stream().map(byMessage::get).toList();
        });
    }

    /** Logs the message as taken; true (and counted as a duplicate) if it was applied before and is not a replay. */
    private boolean isDuplicate(Queued queued) {
        MessageLog.Entry entry = messageLog.accepted(queued.key(), queued.type(), Instant.now(), queued.text());
        if (entry.status() == Status.APPLIED && !queued.replay()) {
            messageLog.duplicate(queued.key());
            return true;
        }
        return false;
    }

    /**
     * Only the store's failures are worth retrying: whatever goes wrong before it (a HAPI bug on
     * odd input included) would go wrong again and hold up the patient's queue, so it is a translation error.
     */
    private RecordChange translate(Message message) {
        try {
            return translator.translate(message);
        } catch (Hl7TranslationException unusable) {
            throw unusable;
        } catch (RuntimeException unexpected) {
            throw new Hl7TranslationException("message", "could not be translated: " + unexpected, unexpected);
        }
    }

    private Message parse(String text) {
        try {
            return parser.parse(text == null ? "" : text);
        } catch (HL7Exception | RuntimeException unparseable) {
            throw new Hl7TranslationException("message", "not parseable HL7 v2: " + unparseable.getMessage(), unparseable);
        }
    }
}
