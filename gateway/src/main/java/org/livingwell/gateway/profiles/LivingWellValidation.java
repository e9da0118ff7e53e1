package org.livingwell.gateway.profiles;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import ca.uhn.fhir.context.FhirContext;
import org.livingwell.profiles.LivingWellValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The one {@link LivingWellValidator} of this process. Building and warming it takes several seconds
 * (snapshot generation, the core R4 definitions), so it is built on a thread of its own while the rest
 * of the gateway starts; whoever needs it first waits for it.
 */
@Component
public class LivingWellValidation {

    private static final Logger log = LoggerFactory.getLogger(LivingWellValidation.class);

    private final CompletableFuture<LivingWellValidator> validator;

    public LivingWellValidation(FhirContext fhirContext) {
        this.validator = CompletableFuture.supplyAsync(() -> build(fhirContext), runnable -> {
            Thread thread = new Thread(runnable, "living-well-validator-build");
            thread.setDaemon(true);
            thread.start();
        });
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
        return validator.join();
    }

    /** Runs the action on a thread of its own once the validator is built. */
    public CompletableFuture<Void> whenReady(Consumer<LivingWellValidator> action, String threadName) {
        return validator.thenAcceptAsync(action, runnable -> {
            Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            thread.start();
        });
    }
}
