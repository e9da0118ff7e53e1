package org.livingwell.gateway;

import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code gateway.*} setting, bound once; each can be given as {@code --gateway.x=y} or as an
 * environment variable ({@code GATEWAY_X}). The defaults are written once, in {@code application.yaml};
 * the Camel routes read the same keys as {@code {{gateway...}}} placeholders.
 *
 * @param dataDir where the H2 database and the Artemis journal live
 * @param brokerUrl an external Artemis broker ({@code tcp://host:61616}); empty means the embedded one
 *     (see ExternalBrokerSetting)
 */
@ConfigurationProperties(prefix = "gateway")
public record GatewayProperties(Path dataDir, String brokerUrl, Mllp mllp, Trust trust, Gp gp, Queues queues, Fhir fhir,
        Store store) {

    /**
     * The MLLP listener of the trust's HL7 v2 feed.
     *
     * @param maxConnections how many senders may be connected at once
     * @param processingId the MSH-11 this gateway takes ({@code P} production); others are answered AR
     */
    public record Mllp(String host, int port, int maxConnections, String processingId) {}

    /**
     * The trust feed's processing.
     *
     * @param storeConsumers how many patients' messages are applied in parallel
     */
    public record Trust(int storeConsumers) {}

    /**
     * The GP practices' SMI-register feed.
     *
     * @param maxFileSize the largest register file taken (upload or drop); larger uploads get 413
     * @param dropSettleMs a dropped file is taken once it has not changed for this long
     * @param applyConsumers how many batches are applied at once
     */
    public record Gp(DataSize maxFileSize, long dropSettleMs, int applyConsumers) {}

    /** Broker queue names. */
    public record Queues(String trustInbound, String gpBatches, String deadLetter) {}

    /**
     * The FHIR REST API partners use.
     *
     * @param resourceTypes the types the record holds and serves (read early by ResourceTypeSelection)
     */
    public record Fhir(int defaultPageSize, int maxPageSize, List<String> resourceTypes) {}

    /**
     * Where the routes write the record.
     *
     * @param remoteUrl base URL of a remote FHIR server; empty means the in-process JPA server
     */
    public record Store(String remoteUrl, Retry retry) {}

    /** How a feed's store route waits out an unreachable record (see FeedErrorHandling). */
    public record Retry(long initialDelayMs, long maxDelayMs, double backoffMultiplier) {}
}
