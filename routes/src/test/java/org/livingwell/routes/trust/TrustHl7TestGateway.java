package org.livingwell.routes.trust;

import org.livingwell.routes.trust.MllpClient;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.livingwell.routes.errors.FeedErrorHandling;
import org.livingwell.routes.log.InMemoryMessageLog;
import org.livingwell.routes.store.InMemoryRecordStore;
import org.livingwell.routes.store.ProfileFixtures;
import org.livingwell.routes.store.RecordWriter;
import org.livingwell.routes.store.ProfileValidatingRecordStore;

/**
 * What the gateway application provides around {@link TrustHl7Route}, for tests: an in-VM Artemis
 * broker, a CamelContext with the {@code jms} and {@code mllp} components, the properties, and an
 * in-memory record store behind profile validation and an in-memory message log, as the gateway wires it. One per test class;
 * starting it takes about a second (the first in a JVM also builds the shared validator).
 */
final class TrustHl7TestGateway implements AutoCloseable {

    static final String INBOUND_QUEUE = "lw.trust.hl7.inbound";
    static final String DEAD_LETTER_QUEUE = "lw.dead-letter";

    private static final AtomicInteger BROKER_IDS = new AtomicInteger();

    final int mllpPort;
    private final EmbeddedActiveMQ broker;
    private final ConnectionFactory connectionFactory;
    private final Connection testConnection;
    private InMemoryRecordStore store;
    private final InMemoryMessageLog messageLog = new InMemoryMessageLog();
    private CamelContext camel;
    private final MllpAccess access;

    /** With a broker; the route's JMS component talks to it in-VM. */
    static TrustHl7TestGateway start() throws Exception {
        return start(MllpAccess.loopbackOnly());
    }

    /** With a broker, and this listener access (source addresses, TLS). */
    static TrustHl7TestGateway start(MllpAccess access) throws Exception {
        int brokerId = BROKER_IDS.incrementAndGet();
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(new ConfigurationImpl()
                .setPersistenceEnabled(false)
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", "vm://" + brokerId));
        broker.start();
        return new TrustHl7TestGateway(broker, new ActiveMQConnectionFactory("vm://" + brokerId), access);
    }

    /** Without a broker: the route's JMS component points at a port where nothing listens. */
    static TrustHl7TestGateway startWithBrokerDown() throws Exception {
        return new TrustHl7TestGateway(null, new ActiveMQConnectionFactory(
                "tcp://127.0.0.1:" + freePort() + "?reconnectAttempts=0&initialConnectAttempts=1"), MllpAccess.loopbackOnly());
    }

    private TrustHl7TestGateway(EmbeddedActiveMQ broker, ActiveMQConnectionFactory connectionFactory, MllpAccess access)
            throws Exception {
        this.access = access;
        this.broker = broker;
        this.connectionFactory = connectionFactory;
        this.mllpPort = freePort();
        startCamel(new InMemoryRecordStore());
        if (broker != null) {
            testConnection = connectionFactory.createConnection();
            testConnection.start();
        } else {
            testConnection = null;
        }
    }

    /**
     * Starts the routes as the gateway application would, with this record store behind them: it sees
     * only transactions that conform to the Living Well profiles.
     */
    void startCamel(InMemoryRecordStore recordStore) throws Exception {
        store = recordStore;
        Properties properties = new Properties();
        properties.setProperty("gateway.mllp.host", "127.0.0.1");
        properties.setProperty("gateway.mllp.port", String.valueOf(mllpPort));
        properties.setProperty("gateway.queues.trust-inbound", INBOUND_QUEUE);
        properties.setProperty("gateway.queues.dead-letter", DEAD_LETTER_QUEUE);
        properties.setProperty("gateway.store.retry.initial-delay-ms", "50");
        properties.setProperty("gateway.store.retry.max-delay-ms", "200");
        properties.setProperty("gateway.store.retry.backoff-multiplier", "2");
        properties.setProperty("gateway.mllp.max-connections", "64");
        properties.setProperty("gateway.mllp.processing-id", "P");
        properties.setProperty("gateway.trust.store-consumers", "4");
        properties.setProperty("gateway.trust.apply-lanes", "2");

        camel = new DefaultCamelContext();
        camel.getPropertiesComponent().setInitialProperties(properties);
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(connectionFactory);
        camel.addComponent("jms", jms);
        MllpComponent mllp = new MllpComponent();
        mllp.setLogPhi(false);
        camel.addComponent("mllp", mllp);
        camel.addRoutes(new FeedErrorHandling(messageLog));
        camel.addRoutes(new TrustHl7Route(
                new RecordWriter(new ProfileValidatingRecordStore(store, ProfileFixtures.validator())), messageLog, access));
        camel.start();
    }

    /** Stops the routes as a shutdown of the gateway would; the broker stays up. */
    void stopCamel() throws Exception {
        camel.close();
    }

    InMemoryRecordStore store() {
        return store;
    }

    InMemoryMessageLog messageLog() {
        return messageLog;
    }

    /** A new connection to the listener, as a sending system would open one. */
    MllpClient connect() throws IOException {
        return new MllpClient("127.0.0.1", mllpPort, 15_000);
    }

    /**
     * Waits for a dead letter matching a JMS selector (e.g. on {@code Hl7ControlId}) and takes it
     * off the queue; null if none arrives in time.
     */
    TextMessage takeDeadLetter(String selector, long timeoutMillis) throws JMSException {
        try (Session session = testConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(DEAD_LETTER_QUEUE), selector)) {
            return (TextMessage) consumer.receive(timeoutMillis);
        }
    }

    /** Puts a text message straight on the inbound queue, as a replay by hand would. */
    void putOnInboundQueue(String text, String controlId) throws JMSException {
        try (Session session = testConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(INBOUND_QUEUE))) {
            TextMessage message = session.createTextMessage(text);
            message.setStringProperty(TrustHl7Route.CONTROL_ID_HEADER, controlId);
            producer.send(message);
        }
    }

    /** How many messages wait on a queue; reads without taking. */
    int depth(String queue) throws JMSException {
        try (Session session = testConnection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            var browser = session.createBrowser(session.createQueue(queue));
            int count = 0;
            for (var messages = browser.getEnumeration(); messages.hasMoreElements(); messages.nextElement()) {
                count++;
            }
            return count;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        camel.close();
        if (testConnection != null) {
            testConnection.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }
}
