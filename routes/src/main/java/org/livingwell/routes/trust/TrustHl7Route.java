package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
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

    private ExecutorService receiptLogging;
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
        ThreadPoolProfile receipts = new ThreadPoolProfile("trust-hl7-receipts");
        receipts.setPoolSize(1);
        receipts.setMaxPoolSize(1);
        receipts.setMaxQueueSize(RECEIPTS_WAITING);
        receipts.setRejectedPolicy(ThreadPoolRejectedPolicy.Abort);
        receiptLogging = getContext().getExecutorServiceManager().newThreadPool(this, "trust-hl7-receipts", receipts);

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
        // consumer while other patients' go on in parallel. CACHE_CONSUMER: with a transaction manager
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
     * the store consumer logs an accepted message again when it takes it. At most {@link #RECEIPTS_WAITING}
     * receipts wait to be logged; beyond that they are dropped with a warning (rejected messages are still on
     * the dead-letter queue).
     */
    private void logReceipt(Exchange exchange) {
        String controlId = exchange.getMessage().getHeader(CONTROL_ID_HEADER, String.class);
        if (controlId == null || controlId.isBlank()) {
            return;
        }
        MessageLog.Key key = key(exchange);
        String type = exchange.getMessage().getHeader(MESSAGE_TYPE_HEADER, String.class);
        String raw = exchange.getMessage().getBody(String.class);
        String rejected = exchange.getProperty(REJECTED, String.class);
        Instant receivedAt = Instant.now();
        try {
            receiptLogging.execute(() -> {
                try {
                    if (rejected != null) {
                        messageLog.failed(key, type, receivedAt, raw, Status.REJECTED, rejected);
                    } else {
                        messageLog.accepted(key, type, receivedAt, raw);
                    }
                } catch (RuntimeException unavailable) {
                    LOG.warn("Could not log the receipt of {} control id {} ({})", type, controlId,
                            unavailable.getClass().getSimpleName());
                }
            });
        } catch (RejectedExecutionException full) {
            LOG.warn("Receipt of {} control id {} not logged: {} receipts already waiting", type, controlId, RECEIPTS_WAITING);
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
     * in one transaction, so a redelivery or a resend of an applied message changes nothing.
     */
    private void store(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        Message message = parse(text);
        Hl7Header header = Hl7Header.read(message);
        MessageLog.Key key = new MessageLog.Key(SOURCE, header.sender(), header.controlId());
        exchange.setProperty(FeedErrorHandling.MESSAGE_KEY, key);
        RecordChange change = translate(message);
        String type = header.type();
        boolean replay = exchange.getMessage().getHeader(MessageLog.REPLAY_HEADER) != null;
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;

        AppliedChange applied = writer.inTransaction(change, () -> {
            MessageLog.Entry entry = messageLog.accepted(key, type, Instant.now(), text);
            if (entry.status() == Status.APPLIED && !replay) {
                messageLog.duplicate(key);
                return null;
            }
            AppliedChange result = writer.apply(change);
            messageLog.applied(key, attempt, result.written(), result.notes());
            return result;
        });
        if (applied == null) {
            LOG.debug("{} control id {} was applied before; not applied again", type, key.messageId());
        } else {
            LOG.debug("Applied {} control id {} to the shared record ({} resources written{})", type, key.messageId(),
                    applied.written().size(), applied.notes().isEmpty() ? "" : "; " + String.join("; ", applied.notes()));
        }
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
