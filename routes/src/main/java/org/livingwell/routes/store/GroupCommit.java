package org.livingwell.routes.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Group commit: callers on many threads each hand in one item and wait; a caller that finds one of the
 * {@code lanes} free applies every item waiting, in groups of at most {@code maxGroup}, and each caller gets back
 * its own item's result or failure. Under load the items of many callers share one database transaction (its
 * look-ups, its Provenance, its commit); with one caller alone a group is that one item, at no extra wait.
 *
 * <p>No thread of its own: the callers take turns at applying (leader/followers). A caller leaves a lane only
 * when nothing waits, and looks again after leaving it, so an item never waits without someone applying it.
 *
 * @param <T> what a caller hands in
 * @param <R> what applying it gives back
 */
public final class GroupCommit<T, R> {

    /** What became of one item: its result, or the failure to throw to its caller. */
    public record Outcome<R>(R result, RuntimeException failure) {

        public static <R> Outcome<R> of(R result) {
            return new Outcome<>(result, null);
        }

        public static <R> Outcome<R> failed(RuntimeException failure) {
            return new Outcome<>(null, Objects.requireNonNull(failure, "failure"));
        }
    }

    private final Function<List<T>, List<Outcome<R>>> applier;
    private final int maxGroup;
    private final Semaphore lanes;
    private final Queue<Waiting<T, R>> waiting = new ConcurrentLinkedQueue<>();

    /**
     * @param applier applies a group, giving one outcome per item in the group's order; if it throws, every item
     *     of the group fails with that exception
     * @param lanes how many groups are applied at once
     * @param maxGroup the most items in one group
     */
    public GroupCommit(Function<List<T>, List<Outcome<R>>> applier, int lanes, int maxGroup) {
        if (lanes < 1 || maxGroup < 1) {
            throw new IllegalArgumentException("lanes and maxGroup must be at least 1: " + lanes + ", " + maxGroup);
        }
        this.applier = Objects.requireNonNull(applier, "applier");
        this.lanes = new Semaphore(lanes);
        this.maxGroup = maxGroup;
    }

    /** Applies the item, most likely together with other callers' items; returns its result or throws its failure. */
    public R apply(T item) {
        Waiting<T, R> mine = new Waiting<>(item);
        waiting.add(mine);
        while (!waiting.isEmpty() && lanes.tryAcquire()) {
            try {
                List<Waiting<T, R>> group;
                while (!(group = nextGroup()).isEmpty()) {
                    applyGroup(group);
                }
            } finally {
                lanes.release();
            }
        }
        // Every lane is busy: their callers look at the queue again before they leave, and will apply this item.
        return mine.await();
    }

    /** Items handed in and not yet taken into a group. */
    int waitingItems() {
        return waiting.size();
    }

    private List<Waiting<T, R>> nextGroup() {
        List<Waiting<T, R>> group = new ArrayList<>();
        Waiting<T, R> next;
        while (group.size() < maxGroup && (next = waiting.poll()) != null) {
            group.add(next);
        }
        return group;
    }

    private void applyGroup(List<Waiting<T, R>> group) {
        List<Outcome<R>> outcomes;
        try {
            outcomes = applier.apply(group.stream().map(each -> each.item).toList());
            if (outcomes.size() != group.size()) {
                throw new IllegalStateException(outcomes.size() + " outcomes for a group of " + group.size());
            }
        } catch (RuntimeException | Error failure) {
            group.forEach(each -> each.outcome.completeExceptionally(failure));
            return;
        }
        for (int index = 0; index < group.size(); index++) {
            Outcome<R> outcome = outcomes.get(index);
            if (outcome.failure() != null) {
                group.get(index).outcome.completeExceptionally(outcome.failure());
            } else {
                group.get(index).outcome.complete(outcome.result());
            }
        }
    }

    private static final class Waiting<T, R> {
        final T item;
        final CompletableFuture<R> outcome = new CompletableFuture<>();

        Waiting(T item) {
            this.item = item;
        }

        R await() {
            try {
                return outcome.get();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while its group was being applied", interrupted);
            } catch (ExecutionException failed) {
                if (failed.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                if (failed.getCause() instanceof Error error) {
                    throw error;
                }
                throw new IllegalStateException(failed.getCause());
            }
        }
    }
}
