package org.livingwell.gateway;

import java.nio.file.Path;
import java.time.Duration;
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
public record GatewayProperties(Path dataDir, String brokerUrl, Mllp mllp, Trust trust, Gp gp, Council council, Queues queues,
        Fhir fhir, Store store, Security security) {

    /**
     * The MLLP listener of the trust's HL7 v2 feed.
     *
     * @param maxConnections how many senders may be connected at once
     * @param processingId the MSH-11 this gateway takes ({@code P} production); others are answered AR
     * @param allowedSources CIDR blocks senders may connect from; connections from elsewhere are closed
     */
    public record Mllp(String host, int port, int maxConnections, String processingId, List<String> allowedSources,
            Tls tls) {}

    /**
     * TLS on the MLLP listener.
     *
     * @param keyStore PKCS12 file with the listener's key and certificate
     * @param trustStore PKCS12 file with the certificates (or CAs) of senders let in
     * @param requireClientCertificate refuse senders without a certificate the trust store vouches for
     */
    public record Tls(boolean enabled, Path keyStore, String keyStorePassword, Path trustStore, String trustStorePassword,
            boolean requireClientCertificate) {}

    /**
     * The trust feed's processing.
     *
     * @param storeConsumers how many queued messages (of different patients) are taken at once: the most that are
     *     applied together in one transaction
     * @param applyLanes how many such transactions run at once
     */
    public record Trust(int storeConsumers, int applyLanes) {}

    /**
     * The GP practices' SMI-register feed.
     *
     * @param maxFileSize the largest register file taken (upload or drop); larger uploads get 413
     * @param dropSettleMs a dropped file is taken once it has not changed for this long
     * @param applyConsumers how many batches are applied at once
     */
    public record Gp(DataSize maxFileSize, long dropSettleMs, int applyConsumers) {}

    /**
     * The council's adult social care feed: its case API (polled when {@code baseUrl} is set) and CLD files dropped in
     * {@code <data-dir>/inbox/council/}.
     *
     * @param baseUrl the case API's base URL ({@code GET {baseUrl}/api/v1/cases}); empty: the API is not polled
     * @param tokenUrl the council's OAuth2 token endpoint (client credentials)
     * @param pollInterval time between polls that succeeded
     * @param pageSize cases asked for per page
     * @param timeout how long one request to the council may take
     * @param odsCode the council's ODS code: its Organization and the namespace of its person and event ids
     * @param name the council's Organization name
     * @param maxFileSize the largest CLD file taken
     * @param dropSettleMs a dropped file is taken once it has not changed for this long
     */
    public record Council(String baseUrl, String tokenUrl, String clientId, String clientSecret, Duration pollInterval,
            int pageSize, Duration timeout, String odsCode, String name, DataSize maxFileSize, long dropSettleMs) {}

    /** Broker queue names. */
    public record Queues(String trustInbound, String gpBatches, String councilBatches, String councilCases, String deadLetter) {}

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

    /**
     * Who may use the record (see the security package).
     *
     * @param enabled false opens everything to anyone, unaudited: only to measure what security costs (bench/)
     * @param tokenLifetime how long an access token is good for (at most 5 minutes)
     * @param issuerUri an external token issuer whose tokens are accepted besides our own; empty means none
     * @param bootstrapClientId a client registered at start-up with every scope, authenticating with
     *     {@code bootstrapClientSecret} (client_secret_basic); empty means none
     * @param clients partners registered at start-up (from this file or an imported one); the admin API adds more
     */
    public record Security(boolean enabled, Duration tokenLifetime, String issuerUri, String bootstrapClientId, String bootstrapClientSecret,
            List<Client> clients) {}

    /**
     * A partner system allowed to ask for tokens.
     *
     * @param organisation the partner's ODS code
     * @param scopes the scopes it may be granted
     * @param practices GP practices (ODS codes) whose registers it may send besides its own; {@code *} for all
     * @param secretHash its secret, hashed ({@code {bcrypt}$2a$...}), for client_secret_basic
     * @param jwks its public keys (a JWK Set, JSON) for private_key_jwt
     * @param jwksUrl where its public keys are published, instead of {@code jwks}
     */
    public record Client(String id, String organisation, List<String> scopes, List<String> practices, String secretHash,
            String jwks, String jwksUrl) {}
}
