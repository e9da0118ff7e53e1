package org.livingwell.gateway.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.hl7.fhir.r4.model.AuditEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Writes AuditEvents into the record off the request thread, so a partner's read does not wait for its audit:
 * requests put events on a queue, one writer stores them ({@link JdbcAuditEvents}) up to {@value #BATCH} per transaction,
 * gathering for at most {@value #LINGER_MILLIS} ms. On a clean
 * shutdown the writer stops after the web server (so no request adds more) and everything still queued is
 * written before the database closes. Should the queue fill up (the database unreachable for long), callers
 * write their own event instead of dropping it.
 */
@Component
public class AuditTrail implements SmartLifecycle {

    static final int BATCH = 200;
    /** How long the writer waits for more events after the first before writing them. */
    static final long LINGER_MILLIS = 100;
    private static final int QUEUE_CAPACITY = 50_000;
    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);

    private final JdbcAuditEvents store;
    private final BlockingQueue<AuditEvent> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private volatile Thread writer;

    public AuditTrail(JdbcAuditEvents store) {
        this.store = store;
    }

    public void record(AuditEvent event) {
        if (!queue.offer(event)) {
            store.write(List.of(event));
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
                gather(batch);
                store.write(batch);
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

    /**
     * Adds what arrives within {@link #LINGER_MILLIS} of the first event, up to {@value #BATCH}: a commit per handful
     * of events cost the writer two to three times as much per event as one per hundred (H2, measured).
     */
    private void gather(List<AuditEvent> batch) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
        while (batch.size() < BATCH) {
            queue.drainTo(batch, BATCH - batch.size());
            long left = deadline - System.nanoTime();
            if (batch.size() == BATCH || left <= 0) {
                return;
            }
            AuditEvent next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
                return;
            }
            batch.add(next);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1000); // the database is unreachable: try again in a moment, keeping the batch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
            store.write(rest.subList(from, Math.min(rest.size(), from + BATCH)));
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
