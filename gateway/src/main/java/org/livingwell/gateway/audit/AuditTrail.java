package org.livingwell.gateway.audit;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes AuditEvents into the record off the request thread, so a partner's read does not wait for its audit:
 * requests put events on a queue, one writer stores them up to {@value #BATCH} per transaction. On a clean
 * shutdown the writer stops after the web server (so no request adds more) and everything still queued is
 * written before the database closes. Should the queue fill up (the database unreachable for long), callers
 * write their own event instead of dropping it.
 */
@Component
public class AuditTrail implements SmartLifecycle {

    static final int BATCH = 200;
    private static final int QUEUE_CAPACITY = 50_000;
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final IFhirSystemDao<Bundle, ?> systemDao;
    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private volatile Thread writer;

    public AuditTrail(IFhirSystemDao<Bundle, ?> systemDao) {
        this.systemDao = systemDao;
    }

    public void record(AuditEvent event) {
        if (!queue.offer(event)) {
            write(List.of(event));
        }
    }

    @Override
    public void start() {
        Thread thread = new Thread(this::writeUntilStopped, "audit-writer");
        thread.setDaemon(true);
        writer = thread;
        thread.start();
    }

    private void writeUntilStopped() {
        List<AuditEvent> batch = new ArrayList<>(BATCH);
        while (writer == Thread.currentThread()) {
            try {
                AuditEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                write(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Could not write {} audit events; retrying: {}", batch.size(), e.toString());
                pause();
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // the database is unreachable: try again in a moment, keeping the batch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One transaction: the AuditEvents, and a Device per client they name (created once, the BALP way of
     * recording a system as agent), so {@code AuditEvent?agent=Device/..} and
     * {@code ?agent:Device.identifier=<client-id system>|<id>} find a client's events.
     */
    private void write(List<AuditEvent> events) {
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Map<String, String> clientDevices = new HashMap<>();
        for (AuditEvent event : events) {
            for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
                Identifier client = agent.getWho().getIdentifier();
                if (AuditEvents.CLIENT_ID_SYSTEM.equals(client.getSystem())) {
                    agent.getWho().setReference(clientDevices.computeIfAbsent(client.getValue(),
                            id -> addClientDevice(transaction, id)));
                }
            }
            transaction.addEntry().setResource(event).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("AuditEvent");
        }
        systemDao.transaction(new SystemRequestDetails(), transaction);
    }

    private static String addClientDevice(Bundle transaction, String clientId) {
        String placeholder = "urn:uuid:" + UUID.randomUUID();
        Device device = new Device();
        device.addIdentifier().setSystem(AuditEvents.CLIENT_ID_SYSTEM).setValue(clientId);
        device.addDeviceName().setName(clientId).setType(Device.DeviceNameType.USERFRIENDLYNAME);
        transaction.addEntry().setFullUrl(placeholder).setResource(device).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Device").setIfNoneExist("identifier=" + AuditEvents.CLIENT_ID_SYSTEM + "|" + clientId);
        return placeholder;
    }

    /** Stops the writer and writes whatever is still queued. */
    @Override
    public void stop() {
        Thread thread = writer;
        writer = null;
        if (thread != null) {
            // Not interrupted: an interrupt inside H2's file I/O closes the database. It sees `writer` and ends.
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<AuditEvent> rest = new ArrayList<>();
        queue.drainTo(rest);
        for (int from = 0; from < rest.size(); from += BATCH) {
            write(rest.subList(from, Math.min(rest.size(), from + BATCH)));
        }
        if (!rest.isEmpty()) {
            log.info("Wrote {} queued audit events before shutting down", rest.size());
        }
    }

    @Override
    public boolean isRunning() {
        return writer != null;
    }

    /** Stopped after the web server (which stops at a higher phase), before the database goes. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 4096;
    }
}
