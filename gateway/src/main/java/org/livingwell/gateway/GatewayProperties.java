package org.livingwell.gateway;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Our own settings, all under {@code gateway.}; each can be given as {@code --gateway.x=y} or as an
 * environment variable ({@code GATEWAY_X}).
 */
@ConfigurationProperties(prefix = "gateway")
public class GatewayProperties {

    /** Where the H2 database and the Artemis journal live. */
    private Path dataDir = Path.of("./data");

    /** An external Artemis broker (tcp://host:61616); empty means the embedded one. See ExternalBrokerSetting. */
    private String brokerUrl = "";

    private final Mllp mllp = new Mllp();
    private final Queues queues = new Queues();
    private final Fhir fhir = new Fhir();
    private final Store store = new Store();

    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public String getBrokerUrl() { return brokerUrl; }
    public void setBrokerUrl(String brokerUrl) { this.brokerUrl = brokerUrl; }
    public Mllp getMllp() { return mllp; }
    public Queues getQueues() { return queues; }
    public Fhir getFhir() { return fhir; }
    public Store getStore() { return store; }

    /** The MLLP listener for the trust's HL7 v2 feed. */
    public static class Mllp {
        private String host = "0.0.0.0";
        private int port = 2575;

        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
    }

    /** Broker queue names; the routes read them as {{gateway.queues.*}}. */
    public static class Queues {
        private String trustInbound = "lw.trust.hl7.inbound";
        private String deadLetter = "lw.dead-letter";

        public String getTrustInbound() { return trustInbound; }
        public void setTrustInbound(String trustInbound) { this.trustInbound = trustInbound; }
        public String getDeadLetter() { return deadLetter; }
        public void setDeadLetter(String deadLetter) { this.deadLetter = deadLetter; }
    }

    /** The FHIR REST API partners use. */
    public static class Fhir {
        private int defaultPageSize = 20;
        private int maxPageSize = 200;

        public int getDefaultPageSize() { return defaultPageSize; }
        public void setDefaultPageSize(int defaultPageSize) { this.defaultPageSize = defaultPageSize; }
        public int getMaxPageSize() { return maxPageSize; }
        public void setMaxPageSize(int maxPageSize) { this.maxPageSize = maxPageSize; }
    }

    /** Where the routes write the record. */
    public static class Store {
        /** Base URL of a remote FHIR server; empty means the in-process JPA server. */
        private String remoteUrl = "";

        public String getRemoteUrl() { return remoteUrl; }
        public void setRemoteUrl(String remoteUrl) { this.remoteUrl = remoteUrl; }
    }
}
