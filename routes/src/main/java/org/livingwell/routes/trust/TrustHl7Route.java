package org.livingwell.routes.trust;

import ca.uhn.hl7v2.ErrorCode;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mllp.MllpConstants;
import org.hl7.fhir.r4.model.Bundle;
import org.livingwell.routes.errors.DeadLetterQueue;
import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.trust.hl7.Hl7Acknowledgements;
import org.livingwell.routes.trust.hl7.Hl7Header;
import org.livingwell.routes.trust.hl7.Hl7Parser;
import org.livingwell.routes.trust.hl7.Hl7TranslationException;
import org.livingwell.routes.store.RecordStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trust EPR's HL7 v2 feed: an MLLP listener that acknowledges a message once it is safely on
 * a durable queue, and a queue consumer that translates it to FHIR and applies it to the shared
 * record, retrying for as long as the record is unreachable.
 */
public final class TrustHl7Route extends RouteBuilder {

    /** The feed's name: its routes' group, and the source on its dead letters ({@link DeadLetterQueue#SOURCE_HEADER}). */
    public static final String SOURCE = "trust-hl7";
    public static final String RECEIVE_ROUTE_ID = "trust-hl7-receive";
    public static final String STORE_ROUTE_ID = "trust-hl7-store";

    /** Header on queued and dead-lettered messages: the sender's MSH-10 message control ID. */
    public static final String CONTROL_ID_HEADER = "Hl7ControlId";
    /** Header on queued and dead-lettered messages: the MSH-9 type, e.g. {@code ADT^A04}. */
    public static final String MESSAGE_TYPE_HEADER = "Hl7MessageType";

    private static final String LISTENER =
            "mllp:{{gateway.mllp.host}}:{{gateway.mllp.port}}?autoAck=false&stringPayload=true&hl7Headers=false";
    private static final String INBOUND_QUEUE = "jms:queue:{{gateway.queues.trust-inbound}}";

    // Exchange properties the receive route passes between its steps.
    private static final String PARSED = "LwHl7Parsed";
    private static final String PREPARED_ACK = "LwHl7PreparedAck";
    private static final String REJECTED = "LwHl7Rejected";
    // ... and the store route.
    private static final String BUNDLE = "LwFhirBundle";

    // camel-mllp reads the field separator at byte 3 of the received message before it sends an
    // ACK the route provides, and fails on anything shorter; those frames get a closed connection.
    private static final int SHORTEST_ANSWERABLE = 4;

    private static final Logger LOG = LoggerFactory.getLogger(TrustHl7Route.class);

    private final RecordStore recordStore;
    private final Hl7Parser parser = new Hl7Parser();
    private final Hl7Acknowledgements acknowledgements = new Hl7Acknowledgements(parser);
    private final AdtTranslator translator = new AdtTranslator();

    public TrustHl7Route(RecordStore recordStore) {
        this.recordStore = Objects.requireNonNull(recordStore, "recordStore");
    }

    @Override
    public void configure() {
        from(LISTENER)
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
                // Only now that the message is safe may the sender forget it.
                .process(this::answer);

        // One consumer in a local JMS transaction: a message is removed from the queue only when
        // the store has taken it (or it has been dead-lettered), and the next waits its turn.
        // CACHE_CONSUMER: with a transaction manager Spring's listener container would otherwise open a
        // new connection, session and consumer for every message (~80 ms each on this broker).
        from(INBOUND_QUEUE + "?transacted=true&concurrentConsumers=1&maxConcurrentConsumers=1"
                + "&cacheLevelName=CACHE_CONSUMER")
                .routeId(STORE_ROUTE_ID)
                .routeGroup(SOURCE)
                .routeConfigurationId(FeedErrorHandling.ID)
                .process(this::translate)
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
        LOG.debug("Received {} control id {}: {}", header.type(), header.controlId(), text);

        if (!translator.supports(header)) {
            String reason = "MSH-9: message type " + header.type() + " is not supported on this feed";
            reject(exchange, reason,
                    acknowledgements.reject(message, ErrorCode.UNSUPPORTED_MESSAGE_TYPE, reason));
            LOG.warn("Rejected {} control id {}: type not supported", header.type(), header.controlId());
            return;
        }
        exchange.setProperty(PREPARED_ACK, acknowledgements.accept(message));
        LOG.info("Received {} control id {}", header.type(), header.controlId());
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
     * Only the store's failures are worth retrying: whatever goes wrong before it (a HAPI bug on
     * odd input included) would go wrong again and hold up the queue, so it is a translation error.
     */
    private void translate(Exchange exchange) {
        try {
            Message message = parser.parse(exchange.getMessage().getBody(String.class));
            exchange.setProperty(BUNDLE, translator.translate(message));
        } catch (Hl7TranslationException unusable) {
            throw unusable;
        } catch (HL7Exception unparseable) {
            throw new Hl7TranslationException("message", "not parseable HL7 v2: " + unparseable.getMessage(), unparseable);
        } catch (RuntimeException unexpected) {
            throw new Hl7TranslationException("message", "could not be translated: " + unexpected, unexpected);
        }
    }

    private void store(Exchange exchange) {
        Bundle response = recordStore.apply(exchange.getProperty(BUNDLE, Bundle.class));
        LOG.info("Applied {} control id {} to the shared record ({} entries)",
                exchange.getMessage().getHeader(MESSAGE_TYPE_HEADER),
                exchange.getMessage().getHeader(CONTROL_ID_HEADER),
                response == null ? 0 : response.getEntry().size());
    }
}
