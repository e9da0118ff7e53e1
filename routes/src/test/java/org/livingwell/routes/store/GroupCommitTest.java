package org.livingwell.routes.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private final ExecutorService callers = Executors.newFixedThreadPool(8);
    private final List<List<Integer>> groups = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopCallers() {
        callers.shutdownNow();
    }

    @Test
    void aCallerAloneIsAppliedAtOnceAsAGroupOfOne() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(this::doubled, 2, 10);

        assertThat(commit.apply(21)).isEqualTo("42");
        assertThat(groups).containsExactly(List.of(21));
    }

    @Test
    void itemsHandedInWhileAGroupIsBeingAppliedGoTogetherInTheNextGroupAndEachCallerGetsItsOwnResult() throws Exception {
        CountDownLatch firstGroupStarted = new CountDownLatch(1);
        CountDownLatch firstGroupMayFinish = new CountDownLatch(1);
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> {
            if (firstGroupStarted.getCount() > 0) {
                firstGroupStarted.countDown();
                waitFor(firstGroupMayFinish);
            }
            return doubled(items);
        }, 1, 3);

        Future<String> first = callers.submit(() -> commit.apply(1));
        waitFor(firstGroupStarted);
        List<Future<String>> others = new ArrayList<>();
        for (int item = 2; item <= 6; item++) {
            int value = item;
            others.add(callers.submit(() -> commit.apply(value)));
        }
        await().atMost(10, TimeUnit.SECONDS).until(() -> commit.waitingItems() == 5);
        firstGroupMayFinish.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("2");
        for (int index = 0; index < others.size(); index++) {
            assertThat(others.get(index).get(10, TimeUnit.SECONDS)).isEqualTo(String.valueOf(2 * (index + 2)));
        }
        assertThat(groups).as("the first alone, then the five waiting in groups of at most 3")
                .extracting(List::size).containsExactly(1, 3, 2);
    }

    @Test
    void anItemsOwnFailureGoesToItsCallerOnlyAndAFailedGroupToEveryCallerInIt() {
        GroupCommit<Integer, String> commit = new GroupCommit<>(items -> items.stream()
                .map(item -> item < 0 ? GroupCommit.Outcome.<String>failed(new IllegalArgumentException("negative " + item))
                        : GroupCommit.Outcome.of("ok " + item))
                .toList(), 1, 10);
        GroupCommit<Integer, String> broken = new GroupCommit<>(items -> {
            throw new IllegalStateException("database down");
        }, 1, 10);

        assertThat(commit.apply(5)).isEqualTo("ok 5");
        assertThatThrownBy(() -> commit.apply(-5)).isInstanceOf(IllegalArgumentException.class).hasMessage("negative -5");
        assertThatThrownBy(() -> broken.apply(1)).isInstanceOf(IllegalStateException.class).hasMessage("database down");
    }

    @Test
    void manyCallersOnTwoLanesAllGetTheirResults() throws Exception {
        GroupCommit<Integer, String> commit = new GroupCommit<>(this::doubled, 2, 4);
        List<Future<String>> results = new ArrayList<>();
        for (int item = 0; item < 2_000; item++) {
            int value = item;
            results.add(callers.submit(() -> commit.apply(value)));
        }
        for (int item = 0; item < results.size(); item++) {
            assertThat(results.get(item).get(30, TimeUnit.SECONDS)).isEqualTo(String.valueOf(2 * item));
        }
        assertThat(groups.stream().mapToInt(List::size).sum()).isEqualTo(2_000);
        assertThat(groups).allMatch(group -> group.size() <= 4);
    }

    private List<GroupCommit.Outcome<String>> doubled(List<Integer> items) {
        groups.add(List.copyOf(items));
        return items.stream().map(item -> GroupCommit.Outcome.of(String.valueOf(2 * item))).toList();
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
