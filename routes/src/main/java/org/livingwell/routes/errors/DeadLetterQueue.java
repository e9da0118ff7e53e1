package org.livingwell.routes.errors;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.livingwell.routes.store.RecordRejectedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one queue where every feed puts messages it cannot use, each labelled with which feed it
 * came from, why it was set aside and when, so a person can fix and replay it.
 *
 * <p>Send with {@code .to(ExchangePattern.InOnly, DeadLetterQueue.ENDPOINT)} after one of the
 * labelling processors; the body should be the message as received.
 */
public final class DeadLetterQueue {

    /** The dead-letter queue (persistent sends); the gateway names it with {@code gateway.queues.dead-letter}. */
    public static final String ENDPOINT = "jms:queue:{{gateway.queues.dead-letter}}?deliveryPersistent=true";

    /** Header: the feed that gave up on the message, e.g. {@code trust-hl7}. */
    public static final String SOURCE_HEADER = "LwDeadLetterSource";
    /** Header: why, in words an integration analyst can act on. */
    public static final String REASON_HEADER = "LwDeadLetterReason";
    /** Header: when it was set aside, ISO-8601 UTC. */
    public static final String TIME_HEADER = "LwDeadLetterTime";
    /**
     * Header, only when the shared record refused the content and said why issue by issue (profile validation,
     * a FHIR server's 4xx): that OperationOutcome as FHIR R4 JSON. The reason header stays a short summary.
     */
    public static final String OPERATION_OUTCOME_HEADER = "LwDeadLetterOperationOutcome";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueue.class);

    private DeadLetterQueue() {}

    /** Labels the exchange's message for the dead-letter queue. */
    public static void label(Exchange exchange, String source, String reason) {
        // A replayed dead letter may still carry the OperationOutcome of its last failure.
        exchange.getMessage().removeHeader(OPERATION_OUTCOME_HEADER);
        exchange.getMessage().setHeader(SOURCE_HEADER, source);
        exchange.getMessage().setHeader(REASON_HEADER, reason);
        exchange.getMessage().setHeader(TIME_HEADER, Instant.now().toString());
    }

    /**
     * For an {@code onException} block: labels with the feed (the route's group), what went wrong and the
     * caught exception's message, adds the OperationOutcome of a {@link RecordRejectedException} that has one
     * ({@link #OPERATION_OUTCOME_HEADER}), and logs it without patient data.
     */
    public static void labelWithCaughtException(Exchange exchange) {
        Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = caught instanceof UnusableContentException unusable
                ? unusable.whatWentWrong() + ": " + unusable.getMessage()
                : "failed: " + (caught == null ? "no exception recorded" : String.valueOf(caught.getMessage()));
        label(exchange, feed(exchange), reason);
        if (caught instanceof RecordRejectedException rejected && rejected.operationOutcome() != null) {
            // The cached context: building a FhirContext takes seconds, a parser from it microseconds.
            exchange.getMessage().setHeader(OPERATION_OUTCOME_HEADER,
                    FhirContext.forR4Cached().newJsonParser().encodeResourceToString(rejected.operationOutcome()));
        }
        LOG.warn("Dead-lettered a {} message (route {}): {}", feed(exchange), exchange.getFromRouteId(),
                caught instanceof UnusableContentException unusable ? unusable.loggableSummary()
                        : caught == null ? "unknown" : caught.getClass().getSimpleName());
        LOG.debug("Dead-letter reason: {}", reason);
    }

    /** The feed is the group of the route the message came in on (e.g. {@code trust-hl7}). */
    private static String feed(Exchange exchange) {
        Route route = exchange.getFromRouteId() == null ? null : exchange.getContext().getRoute(exchange.getFromRouteId());
        return route == null || route.getGroup() == null ? "unknown" : route.getGroup();
    }
}
