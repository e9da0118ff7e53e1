package org.livingwell.routes.council;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.GenericFile;
import org.livingwell.routes.csv.DroppedFiles;
import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.log.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The council feed: the poll of the council's case API (when configured), the drop folder
 * {@code <data-dir>/inbox/council/} for quarterly CLD files, the queue consumer that applies each received file, and
 * the queue a case is replayed onto from the message log.
 */
public final class CouncilRoute extends RouteBuilder {

    public static final String POLL_ROUTE_ID = "council-poll";
    public static final String APPLY_ROUTE_ID = "council-cld-apply";
    public static final String DROP_ROUTE_ID = "council-cld-drop";
    public static final String REPLAY_ROUTE_ID = "council-case-replay";
    public static final String GROUP = "council";

    private static final String BATCH_QUEUE = "jms:queue:{{gateway.queues.council-batches}}";
    private static final String CASE_QUEUE = "jms:queue:{{gateway.queues.council-cases}}";
    // noop: the route moves each file itself, to .done or .error with its report, once the batch is safe.
    private static final String DROP_FOLDER = "file:{{gateway.data-dir}}/inbox/council?include=.*\\.(csv|CSV)"
            + "&noop=true&idempotent=false&readLock=changed&readLockMinAge={{gateway.council.drop-settle-ms}}"
            + "&readLockCheckInterval=200&delay=500";
    private static final Logger LOG = LoggerFactory.getLogger(CouncilRoute.class);

    private final CouncilPoller poller;
    private final CouncilCases cases;
    private final CouncilFiles files;
    private final CouncilFileApplier applier;

    /** @param poller the API poll, or null when no council API is configured (files only) */
    public CouncilRoute(CouncilPoller poller, CouncilCases cases, CouncilFiles files, CouncilFileApplier applier) {
        this.poller = poller;
        this.cases = Objects.requireNonNull(cases, "cases");
        this.files = Objects.requireNonNull(files, "files");
        this.applier = Objects.requireNonNull(applier, "applier");
    }

    /** Where the intake puts a received file's batch id for the applier. */
    public static String batchQueue() {
        return BATCH_QUEUE + "?deliveryPersistent=true";
    }

    @Override
    public void configure() {
        if (poller != null) {
            // A tick a second: the poller itself knows when a poll is due (the interval, a back-off, a Retry-After).
            from("timer:council-poll?period=1000&delay=0")
                    .routeId(POLL_ROUTE_ID)
                    .routeGroup(GROUP)
                    .process(exchange -> poller.tick());
        }

        // One file at a time, in the order received; applied again from its first row after a crash (idempotently).
        from(BATCH_QUEUE + "?transacted=true&concurrentConsumers=1&cacheLevelName=CACHE_CONSUMER")
                .routeId(APPLY_ROUTE_ID)
                .routeGroup(GROUP)
                .routeConfigurationId(FeedErrorHandling.ID)
                .process(this::applyFile);

        from(CASE_QUEUE + "?transacted=true&concurrentConsumers=1&cacheLevelName=CACHE_CONSUMER")
                .routeId(REPLAY_ROUTE_ID)
                .routeGroup(GROUP)
                .routeConfigurationId(FeedErrorHandling.ID)
                .process(this::applyCase);

        from(DROP_FOLDER)
                .routeId(DROP_ROUTE_ID)
                .routeGroup(GROUP)
                .process(this::receiveDropped);
    }

    private void applyFile(Exchange exchange) {
        String batchId = exchange.getMessage().getBody(String.class);
        boolean replay = exchange.getMessage().getHeader(MessageLog.REPLAY_HEADER) != null;
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        applier.apply(batchId, replay, attempt);
    }

    /** A case put back from the message log: applied again whatever the log says of it. */
    private void applyCase(Exchange exchange) throws IOException {
        JsonNode json = CaseJson.MAPPER.readTree(exchange.getMessage().getBody(String.class));
        CouncilCases.Outcome outcome = cases.apply(List.of(json), true);
        LOG.info("Replayed council case: {} applied, {} rejected, {} refused by the record", outcome.applied(),
                outcome.rejected(), outcome.refused());
    }

    private void receiveDropped(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getMessage().getBody(GenericFile.class).getAbsoluteFilePath());
        String name = file.getFileName().toString();
        String outcome = DroppedFiles.receive(file, in -> files.receive(in, "file:" + name));
        LOG.info("Dropped CLD file {} moved to {}", name, outcome);
    }
}
