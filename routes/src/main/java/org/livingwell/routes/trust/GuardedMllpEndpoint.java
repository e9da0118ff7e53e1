package org.livingwell.routes.trust;

import java.io.IOException;
import java.net.Socket;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.component.mllp.MllpComponent;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.apache.camel.component.mllp.MllpTcpServerConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camel-mllp listener endpoint, configured as its URI says, whose consumer closes a connection from a source
 * address not allowed the moment it is accepted: nothing is read from it, nothing is stored, one log line says so.
 * (camel-mllp has no allow-list; its consumer's per-connection check, {@code validateConsumer}, is the hook.)
 */
final class GuardedMllpEndpoint extends MllpEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedMllpEndpoint.class);

    private final SourceAddresses allowedSources;

    GuardedMllpEndpoint(MllpEndpoint configured, SourceAddresses allowedSources) {
        super(configured.getEndpointUri(), (MllpComponent) configured.getComponent(), configured.getConfiguration());
        setHostname(configured.getHostname());
        setPort(configured.getPort());
        this.allowedSources = allowedSources;
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Consumer consumer = new MllpTcpServerConsumer(this, processor) {
            @Override
            public void validateConsumer(Socket socket) {
                if (allowedSources.contains(socket.getInetAddress())) {
                    super.validateConsumer(socket);
                    return;
                }
                LOG.warn("MLLP connection from {} refused and closed: not in gateway.mllp.allowed-sources ({})",
                        socket.getInetAddress().getHostAddress(), allowedSources);
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.debug("Closing a refused MLLP connection failed", e);
                }
            }
        };
        configureConsumer(consumer);
        return consumer;
    }
}
