package org.livingwell.gateway.messaging;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.apache.camel.ProducerTemplate;
import org.livingwell.gateway.GatewayProperties;
import org.livingwell.routes.council.CaseValidator;
import org.livingwell.routes.council.CouncilApi;
import org.livingwell.routes.council.CouncilCases;
import org.livingwell.routes.council.CouncilFileApplier;
import org.livingwell.routes.council.CouncilFiles;
import org.livingwell.routes.council.CouncilPoller;
import org.livingwell.routes.council.CouncilRoute;
import org.livingwell.routes.council.CouncilTranslator;
import org.livingwell.routes.council.CouncilWatermark;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
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

    /** One validator for the council feed's cases and CLD rows (thread-safe). */
    @Bean
    public CaseValidator councilCaseValidator() {
        return new CaseValidator();
    }

    @Bean
    public CouncilTranslator councilTranslator(GatewayProperties gateway) {
        return new CouncilTranslator(gateway.council().odsCode(), gateway.council().name());
    }

    @Bean
    public CouncilCases councilCases(RecordWriter recordWriter, MessageLog messageLog, CaseValidator validator,
            CouncilTranslator translator, GatewayProperties gateway) {
        return new CouncilCases(recordWriter, messageLog, validator, translator, gateway.council().odsCode(), Clock.systemUTC());
    }

    /** The council's case API poll, when {@code gateway.council.base-url} is set; otherwise the feed takes files only. */
    @Bean
    @ConditionalOnExpression("!'${gateway.council.base-url:}'.isBlank()")
    public CouncilPoller councilPoller(GatewayProperties gateway, CouncilCases cases, CouncilWatermark watermark) {
        GatewayProperties.Council council = gateway.council();
        CouncilApi api = new CouncilApi(new CouncilApi.Settings(URI.create(council.baseUrl()), URI.create(council.tokenUrl()),
                council.clientId(), council.clientSecret(), council.pageSize(), council.timeout()), Clock.systemUTC());
        GatewayProperties.Retry retry = gateway.store().retry();
        return new CouncilPoller(api, cases, watermark, council.pollInterval(),
                new CouncilPoller.Backoff(Duration.ofMillis(retry.initialDelayMs()), Duration.ofMillis(retry.maxDelayMs()),
                        retry.backoffMultiplier()), Clock.systemUTC());
    }

    @Bean
    public CouncilRoute councilRoute(GatewayProperties gateway, Optional<CouncilPoller> poller, CouncilCases cases,
            RecordWriter recordWriter, IngestBatches batches, MessageLog messageLog, ProducerTemplate producer,
            CaseValidator validator, CouncilTranslator translator) {
        Path batchDirectory = gateway.dataDir().resolve("council").resolve("batches");
        CouncilFiles files = new CouncilFiles(batchDirectory, gateway.council().maxFileSize().toBytes(), batches, messageLog,
                (batchId, council) -> producer.sendBody(CouncilRoute.batchQueue(), batchId), validator,
                gateway.council().odsCode(), Clock.systemUTC());
        return new CouncilRoute(poller.orElse(null), cases, files,
                new CouncilFileApplier(recordWriter, batches, messageLog, batchDirectory, validator, translator));
    }

    /** Where received register files are kept until applied (and after, for replay). */
    private static Path gpBatchDirectory(GatewayProperties gateway) {
        return gateway.dataDir().resolve("gp").resolve("batches");
    }
}
