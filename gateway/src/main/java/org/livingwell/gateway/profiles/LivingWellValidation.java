package org.livingwell.gateway.profiles;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

import ca.uhn.fhir.context.FhirContext;
import org.livingwell.profiles.LivingWellValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The one {@link LivingWellValidator} of this process. Building and warming it takes several seconds
 * (snapshot generation, the core R4 definitions), so it is built on a thread of its own once the
 * gateway is up (on 2 cores, building it during start-up delayed readiness by ~5 s), or earlier if
 * something needs it first; whoever needs it waits for it.
 */
@Component
public class LivingWellValidation {

    private static final Logger log = LoggerFactory.getLogger(LivingWellValidation.class);

    private final FhirContext fhirContext;
    private volatile CompletableFuture<LivingWellValidator> validator;

    public LivingWellValidation(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void buildAfterStartUp() {
        future();
    }

    private CompletableFuture<LivingWellValidator> future() {
        CompletableFuture<LivingWellValidator> started = validator;
        if (started != null) {
            return started; // every feed message and partner write comes here: no lock once started
        }
        synchronized (this) {
            if (validator == null) {
                validator = CompletableFuture.supplyAsync(() -> build(fhirContext),
                        onDaemonThread("living-well-validator-build"));
            }
            return validator;
        }
    }

    private static Executor onDaemonThread(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            thread.start();
        };
    }

    private static LivingWellValidator build(FhirContext fhirContext) {
        long started = System.nanoTime();
        LivingWellValidator built = new LivingWellValidator(fhirContext);
        Duration warmUp = built.warmUp();
        log.info("Living Well profiles loaded and validator warmed up in {} ms (warm-up {} ms)",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), warmUp.toMillis());
        return built;
    }

    /** The validator, waiting for it to be built if need be. */
    public LivingWellValidator validator() {
        return future().join();
    }

    /** Runs the action on a thread of its own once the validator is built. */
    public CompletableFuture<Void> whenReady(Consumer<LivingWellValidator> action, String threadName) {
        return future().thenAcceptAsync(action, onDaemonThread(threadName));
    }
}
