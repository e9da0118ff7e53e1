package org.livingwell.routes.errors;

import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;

/**
 * The one error handling every feed's store route uses ({@code .routeConfigurationId(FeedErrorHandling.ID)}):
 *
 * <ul>
 *   <li>content that cannot be used ({@link UnusableContentException}: untranslatable, refused by the record)
 *       goes to the {@link DeadLetterQueue} as received, labelled with the feed (the route's group), the
 *       reason and the time;
 *   <li>anything else (the record unreachable, a version conflict) is retried for ever with exponential
 *       back-off, holding the message unacknowledged in the broker, so stopping the process loses nothing.
 * </ul>
 *
 * <p>Back-off settings: {@code gateway.store.retry.initial-delay-ms}, {@code .max-delay-ms},
 * {@code .backoff-multiplier}.
 */
public final class FeedErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "feed-errors";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .errorHandler(retryForEver())
                .onException(UnusableContentException.class)
                    .handled(true)
                    .maximumRedeliveries(0)
                    .useOriginalMessage()
                    .process(DeadLetterQueue::labelWithCaughtException)
                    .to(ExchangePattern.InOnly, DeadLetterQueue.ENDPOINT)
                .end();
    }

    private static DefaultErrorHandlerDefinition retryForEver() {
        DefaultErrorHandlerDefinition handler = new DefaultErrorHandlerDefinition();
        handler.setRedeliveryPolicy(new RedeliveryPolicyDefinition()
                .maximumRedeliveries(-1)
                .redeliveryDelay("{{gateway.store.retry.initial-delay-ms}}")
                .useExponentialBackOff()
                .backOffMultiplier("{{gateway.store.retry.backoff-multiplier}}")
                .maximumRedeliveryDelay("{{gateway.store.retry.max-delay-ms}}")
                // On shutdown, stop retrying so the transaction rolls back and the broker keeps the
                // message for the next start, instead of holding shutdown up for a dead database.
                .allowRedeliveryWhileStopping(false)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                .logRetryStackTrace(false));
        return handler;
    }
}
