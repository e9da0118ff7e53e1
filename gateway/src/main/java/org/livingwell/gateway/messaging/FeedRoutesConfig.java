package org.livingwell.gateway.messaging;

import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.trust.TrustHl7Route;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the route class of each source feed into the Camel context (Camel picks up RouteBuilder
 * beans); the routes take their endpoints from {@code gateway.*} properties.
 */
@Configuration
public class FeedRoutesConfig {

    /** Dead-letter and retry, shared by every feed's store route. */
    @Bean
    public FeedErrorHandling feedErrorHandling(MessageLog messageLog) {
        return new FeedErrorHandling(messageLog);
    }

    @Bean
    public TrustHl7Route trustHl7Route(RecordWriter recordWriter, MessageLog messageLog) {
        return new TrustHl7Route(recordWriter, messageLog);
    }
}
