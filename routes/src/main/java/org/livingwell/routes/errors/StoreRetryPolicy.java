package org.livingwell.routes.errors;

import org.apache.camel.LoggingLevel;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

/**
 * How every feed's store route waits out a shared record that is down or unreachable: retry the
 * same message forever with exponential backoff, holding the queue (so order is kept) while the
 * message stays unacknowledged in the broker (so stopping the process loses nothing).
 *
 * <p>Use as the route's error handler together with a transacted JMS consumer, and declare
 * {@code onException} blocks with {@code maximumRedeliveries(0)} for the exceptions that mean the
 * content is unusable (those go to the {@link DeadLetterQueue} instead of being retried).
 */
public final class StoreRetryPolicy {

    /** First wait after a failure, in milliseconds; default 1000. */
    public static final String INITIAL_DELAY_PROPERTY = "gateway.store.retry.initial-delay-ms";
    /** Longest wait between attempts, in milliseconds; default 60000. */
    public static final String MAX_DELAY_PROPERTY = "gateway.store.retry.max-delay-ms";
    /** Factor by which the wait grows after each failure; default 2. */
    public static final String BACKOFF_MULTIPLIER_PROPERTY = "gateway.store.retry.backoff-multiplier";

    private StoreRetryPolicy() {}

    /** A fresh error handler for one route (definitions are not shared between routes). */
    public static DefaultErrorHandlerDefinition errorHandler() {
        DefaultErrorHandlerDefinition handler = new DefaultErrorHandlerDefinition();
        handler.setRedeliveryPolicy(new RedeliveryPolicyDefinition()
                .maximumRedeliveries(-1)
                .redeliveryDelay("{{" + INITIAL_DELAY_PROPERTY + ":1000}}")
                .useExponentialBackOff()
                .backOffMultiplier("{{" + BACKOFF_MULTIPLIER_PROPERTY + ":2}}")
                .maximumRedeliveryDelay("{{" + MAX_DELAY_PROPERTY + ":60000}}")
                // On shutdown, stop retrying so the transaction rolls back and the broker keeps the
                // message for the next start, instead of holding shutdown up for a dead database.
                .allowRedeliveryWhileStopping(false)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logRetryStackTrace(false));
        return handler;
    }
}
