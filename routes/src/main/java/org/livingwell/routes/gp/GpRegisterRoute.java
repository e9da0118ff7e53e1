package org.livingwell.routes.gp;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.GenericFile;
import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.log.MessageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.livingwell.routes.csv.CsvFileException;
import org.livingwell.routes.csv.DroppedFiles;

/**
 * The GP practices' SMI-register feed: the drop folder {@code <data-dir>/inbox/gp/<practice ODS>/}, and the queue
 * consumer that applies every received batch (uploaded or dropped) to the record. Uploads come in through the
 * gateway's HTTP endpoint, which hands them to the same {@link GpRegisterIntake}.
 *
 * <p>A dropped {@code .csv} file is taken once it has stopped changing, then moved to {@code .done/} (received; some
 * rows may still have been rejected) or {@code .error/} (refused as a whole) in its folder, with
 * {@code <name>.report.json} beside it. A name containing {@code delta} is a delta; any other, a full extract.
 */
public final class GpRegisterRoute extends RouteBuilder {

    public static final String APPLY_ROUTE_ID = "gp-register-apply";
    public static final String DROP_ROUTE_ID = "gp-register-drop";

    /** A GP practice's ODS code: a letter and five digits, e.g. {@code G85001}. */
    public static final Pattern PRACTICE_ODS = Pattern.compile("[A-Z][0-9]{5}");

    private static final String BATCH_QUEUE = "jms:queue:{{gateway.queues.gp-batches}}";
    // noop: the route moves each file itself, to .done or .error with its report, once the batch is safe.
    private static final String DROP_FOLDER = "file:{{gateway.data-dir}}/inbox/gp?recursive=true&minDepth=2&maxDepth=2"
            + "&include=.*\\.(csv|CSV)&noop=true&idempotent=false&readLock=changed"
            + "&readLockMinAge={{gateway.gp.drop-settle-ms}}&readLockCheckInterval=200&delay=500";
    private static final Logger LOG = LoggerFactory.getLogger(GpRegisterRoute.class);

    private final GpRegisterIntake intake;
    private final GpRegisterApplier applier;

    public GpRegisterRoute(GpRegisterIntake intake, GpRegisterApplier applier) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.applier = Objects.requireNonNull(applier, "applier");
    }

    /** JMS message group of a batch: its practice, so that one practice's batches are applied in the order received. */
    public static final String GROUP_HEADER = "JMSXGroupID";

    /** Where the intake puts a batch for the applier: a persistent message naming the batch. */
    public static String batchQueue() {
        return BATCH_QUEUE + "?deliveryPersistent=true";
    }

    @Override
    public void configure() {
        // Each batch in a JMS transaction: it leaves the queue only once it is applied, and one interrupted by a crash
        // or an unreachable record is applied again (idempotently) from its first row. Several practices' batches are
        // applied at once, but one practice's in the order received (message groups: a later full extract must not be
        // undone by an earlier one); a patient on two practices' batches is safe (the writer takes turns per patient).
        from(BATCH_QUEUE + "?transacted=true&concurrentConsumers={{gateway.gp.apply-consumers}}"
                + "&maxConcurrentConsumers={{gateway.gp.apply-consumers}}&cacheLevelName=CACHE_CONSUMER")
                .routeId(APPLY_ROUTE_ID)
                .routeGroup(GpRegisterIntake.FEED)
                .routeConfigurationId(FeedErrorHandling.ID)
                .process(this::apply);

        from(DROP_FOLDER)
                .routeId(DROP_ROUTE_ID)
                .routeGroup(GpRegisterIntake.FEED)
                .process(this::receiveDropped);
    }

    private void apply(Exchange exchange) {
        String batchId = exchange.getMessage().getBody(String.class);
        boolean replay = exchange.getMessage().getHeader(MessageLog.REPLAY_HEADER) != null;
        int attempt = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class) + 1;
        applier.apply(batchId, replay, attempt);
    }

    private void receiveDropped(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getMessage().getBody(GenericFile.class).getAbsoluteFilePath());
        String name = file.getFileName().toString();
        String practice = file.getParent().getFileName().toString().toUpperCase(Locale.ROOT);
        GpBatch.Mode mode = name.toLowerCase(Locale.ROOT).contains("delta") ? GpBatch.Mode.DELTA : GpBatch.Mode.FULL;
        String outcome = DroppedFiles.receive(file, in -> {
            if (!PRACTICE_ODS.matcher(practice).matches()) {
                throw new CsvFileException("the folder " + practice + " is not named by a GP practice ODS code"
                        + " (a letter and five digits)");
            }
            return intake.receive(practice, mode, in, "file:" + name);
        });
        LOG.info("Dropped GP register file {} of {} moved to {}", name, practice, outcome);
    }
}
