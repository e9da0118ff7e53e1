package org.livingwell.routes.errors;

import java.time.Instant;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RedeliveryPolicyDefinition;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.livingwell.routes.log.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one error handling every feed's store route uses ({@code .routeConfigurationId(FeedErrorHandling.ID)}):
 *
 * <ul>
 *   <li>content that cannot be used ({@link UnusableContentException}: untranslatable, refused by the record)
 *       goes to the {@link DeadLetterQueue} as received, labelled with the feed (the route's group), the
 *       reason and the time, and marked dead-lettered in the {@link MessageLog};
 *   <li>anything else (the record unreachable, a version conflict) is retried for ever with exponential
 *       back-off, holding the message unacknowledged in the broker, so stopping the process loses nothing.
 * </ul>
 *
 * <p>Back-off settings: {@code gateway.store.retry.initial-delay-ms}, {@code .max-delay-ms},
 * {@code .backoff-multiplier}.
 */
public final class FeedErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "feed-errors";

    /**
     * Exchange property a store route sets to the message's {@link MessageLog.Key} as soon as it knows it,
     * so that a dead-lettered message is marked so in the message log.
     */
    public static final String MESSAGE_KEY = "LwMessageKey";

    private static final Logger LOG = LoggerFactory.getLogger(FeedErrorHandling.class);

    private final MessageLog messageLog;

    public FeedErrorHandling(MessageLog messageLog) {
        this.messageLog = Objects.requireNonNull(messageLog, "messageLog");
    }

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
                    .process(this::logDeadLettered)
                .end();
    }

    /** Best effort: the dead letter itself, with its reason, is already safe on the queue. */
    private void logDeadLettered(Exchange exchange) {
        MessageLog.Key key = exchange.getProperty(MESSAGE_KEY, MessageLog.Key.class);
        if (key == null) {
            return;
        }
        try {
            messageLog.failed(key, null, Instant.now(), exchange.getMessage().getBody(String.class),
                    MessageLog.Status.DEAD_LETTERED, exchange.getMessage().getHeader(DeadLetterQueue.REASON_HEADER, String.class));
        } catch (RuntimeException unavailable) {
            LOG.warn("Could not mark message {} dead-lettered in the message log ({})", key.messageId(),
                    unavailable.getClass().getSimpleName());
        }
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
