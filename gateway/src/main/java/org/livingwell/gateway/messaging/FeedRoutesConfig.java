package org.livingwell.gateway.messaging;

import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.ProducerTemplate;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.gp.GpRegisterApplier;
import org.livingwell.routes.gp.GpRegisterIntake;
import org.livingwell.routes.gp.GpRegisterRoute;
import org.livingwell.routes.gp.RegisterRowValidator;
import org.livingwell.routes.log.IngestBatches;
import org.livingwell.routes.log.MessageLog;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.trust.MllpAccess;
import org.livingwell.routes.trust.SourceAddresses;
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
    public TrustHl7Route trustHl7Route(RecordWriter recordWriter, MessageLog messageLog, GatewayProperties gateway) {
        GatewayProperties.Tls tls = gateway.mllp().tls();
        return new TrustHl7Route(recordWriter, messageLog, new MllpAccess(
                SourceAddresses.parse(gateway.mllp().allowedSources()),
                tls.enabled() ? new MllpAccess.Tls(tls.keyStore(), tls.keyStorePassword(), tls.trustStore(),
                        tls.trustStorePassword(), tls.requireClientCertificate()) : null));
    }

    /** One validator for the whole GP feed: it is thread-safe, and building it (Hibernate Validator) is not cheap. */
    @Bean
    public RegisterRowValidator registerRowValidator() {
        return new RegisterRowValidator();
    }

    /** Takes GP register files, uploaded or dropped, and queues them for the applier. */
    @Bean
    public GpRegisterIntake gpRegisterIntake(GatewayProperties gateway, IngestBatches batches, MessageLog messageLog,
            ProducerTemplate producer, RegisterRowValidator validator) {
        return new GpRegisterIntake(gpBatchDirectory(gateway), gateway.gp().maxFileSize().toBytes(), batches, messageLog,
                (batchId, practice) -> producer.sendBodyAndHeader(GpRegisterRoute.batchQueue(), batchId, GpRegisterRoute.GROUP_HEADER, practice), validator, Clock.systemUTC());
    }

    @Bean
    public GpRegisterRoute gpRegisterRoute(GatewayProperties gateway, GpRegisterIntake intake, RecordWriter recordWriter,
            IngestBatches batches, MessageLog messageLog, RegisterRowValidator validator) {
        return new GpRegisterRoute(intake,
                new GpRegisterApplier(recordWriter, batches, messageLog, gpBatchDirectory(gateway), validator));
    }

    /** Where received register files are kept until applied (and after, for replay). */
    private static Path gpBatchDirectory(GatewayProperties gateway) {
        return gateway.dataDir().resolve("gp").resolve("batches");
    }
}
