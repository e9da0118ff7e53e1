package org.livingwell.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.livingwell.gateway.admin.JdbcMessageLog;
import org.livingwell.routes.log.MessageLog.Entry;
import org.livingwell.routes.log.MessageLog.Key;
import org.livingwell.routes.log.MessageLog.Status;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What the feeds and the admin API rely on from {@link JdbcMessageLog}, run on every database the gateway
 * supports (H2 in the gateway's own context, PostgreSQL on its own). Each test logs messages of a message
 * type of its own, so that it sees only its own entries in a table other tests write to.
 */
interface JdbcMessageLogContract {

    Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    JdbcMessageLog messageLog();

    /** The transaction manager the feeds' store transactions run under. */
    PlatformTransactionManager transactionManager();

    static Key newKey() {
        return new Key("trust-hl7", "TRUSTEPR^LWTRUST", "MSG-" + UUID.randomUUID());
    }

    static String newType() {
        return "Z" + UUID.randomUUID().toString().substring(0, 8) + "^A04";
    }

    default List<Entry> logged(String messageType) {
        return messageLog().search(null, messageType, null, 0, 500);
    }

    @Test
    default void anAcceptedMessageIsAppliedAndThenFoundAsAlreadyApplied() {
        Key key = newKey();
        String raw = "MSH|^~\\&|TRUSTEPR|LWTRUST|||20261124090000||ADT^A04|1|P|2.5.1\rPID|1\rNTE|1||" + "x".repeat(50_000);

        Entry accepted = messageLog().accepted(key, "ADT^A04", T0, raw);
        assertThat(accepted.key()).isEqualTo(key);
        assertThat(accepted.status()).isEqualTo(Status.ACCEPTED);
        assertThat(accepted.receivedAt()).isEqualTo(T0);
        assertThat(accepted.raw()).isEqualTo(raw);
        assertThat(accepted.attempts()).isZero();
        assertThat(accepted.duplicates()).isZero();
        assertThat(accepted.resources()).isEmpty();

        assertThat(accepted.notes()).isEmpty();

        messageLog().applied(key, 2, List.of("Patient/12/_history/3", "Organization/4/_history/1"),
                List.of("unmapped segments: ZRF", "RF1-2: priority 'X' is not in table 0280"));
        Entry applied = messageLog().find(accepted.id()).orElseThrow();
        assertThat(applied.status()).isEqualTo(Status.APPLIED);
        assertThat(applied.attempts()).isEqualTo(2);
        assertThat(applied.resources()).containsExactly("Patient/12/_history/3", "Organization/4/_history/1");
        assertThat(applied.notes()).containsExactly("unmapped segments: ZRF", "RF1-2: priority 'X' is not in table 0280");
        assertThat(applied.updatedAt()).isNotNull();

        Entry again = messageLog().accepted(key, "ADT^A04", T0.plusSeconds(60), "a later copy");
        assertThat(again.id()).isEqualTo(accepted.id());
        assertThat(again.status()).isEqualTo(Status.APPLIED);
        assertThat(again.raw()).isEqualTo(raw);
    }

    @Test
    default void duplicatesAreCounted() {
        Key key = newKey();
        long id = messageLog().accepted(key, "ADT^A04", T0, "raw").id();
        messageLog().applied(key, 1, List.of("Patient/1/_history/1"), List.of());
        messageLog().duplicate(key);
        messageLog().duplicate(key);

        Entry entry = messageLog().find(id).orElseThrow();
        assertThat(entry.duplicates()).isEqualTo(2);
        assertThat(entry.status()).isEqualTo(Status.APPLIED);
    }

    @Test
    default void aMessageRefusedAtReceiptOrDeadLetteredKeepsItsReason() {
        String type = newType();
        Key refused = newKey();
        messageLog().failed(refused, type, T0, "refused raw", Status.REJECTED, "MSH-9: not supported");
        Key deadLettered = newKey();
        long id = messageLog().accepted(deadLettered, type, T0.plusSeconds(1), "dead raw").id();
        messageLog().failed(deadLettered, type, T0.plusSeconds(1), "dead raw", Status.DEAD_LETTERED, "PID: no NHS number");

        assertThat(logged(type)).extracting(Entry::key, Entry::status, Entry::reason, Entry::raw).containsExactly(
                tuple(deadLettered, Status.DEAD_LETTERED, "PID: no NHS number", "dead raw"),
                tuple(refused, Status.REJECTED, "MSH-9: not supported", "refused raw"));
        assertThat(messageLog().find(id).orElseThrow().status()).isEqualTo(Status.DEAD_LETTERED);
        assertThatThrownBy(() -> messageLog().failed(newKey(), type, T0, "raw", Status.APPLIED, "no"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> messageLog().applied(newKey(), 1, List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class);
    }

    /** Eight store transactions take the same new message at once, as the route would: one logs and applies it. */
    @Test
    default void aNewMessageTakenAtOnceByEightTransactionsIsLoggedAndAppliedOnce() throws Exception {
        String type = newType();
        assertThat(applyAtOnceInEightTransactions(newKey(), type)).isEqualTo(1);
        assertThat(logged(type)).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(Status.APPLIED);
            assertThat(entry.resources()).containsExactly("Patient/1/_history/1");
        });
    }

    /** The same for a message logged before (dead-lettered, then replayed twice): the row lock keeps it to one. */
    @Test
    default void aLoggedMessageTakenAtOnceByEightTransactionsIsAppliedOnce() throws Exception {
        String type = newType();
        Key key = newKey();
        messageLog().failed(key, type, T0, "raw", Status.DEAD_LETTERED, "store refused it");
        assertThat(applyAtOnceInEightTransactions(key, type)).isEqualTo(1);
        assertThat(logged(type)).singleElement().extracting(Entry::status).isEqualTo(Status.APPLIED);
    }

    /** How many of eight concurrent store transactions applied the message. */
    private int applyAtOnceInEightTransactions(Key key, String type) throws Exception {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager());
        AtomicInteger appliedBy = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        Callable<Long> storeTransaction = () -> {
            start.await();
            return transaction.execute(status -> {
                Entry entry = messageLog().accepted(key, type, T0, "raw");
                if (entry.status() != Status.APPLIED) {
                    messageLog().applied(key, 1, List.of("Patient/1/_history/" + appliedBy.incrementAndGet()), List.of());
                }
                return entry.id();
            });
        };
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            List<Future<Long>> ids = IntStream.range(0, 8).mapToObj(i -> threads.submit(storeTransaction)).toList();
            start.countDown();
            for (Future<Long> id : ids) {
                assertThat(id.get(30, TimeUnit.SECONDS)).isEqualTo(ids.get(0).get());
            }
        } finally {
            threads.shutdownNow();
        }
        return appliedBy.get();
    }

    @Test
    default void searchFiltersAndPagesNewestFirst() {
        String type = newType();
        List<Key> keys = IntStream.range(0, 5).mapToObj(i -> newKey()).toList();
        for (int i = 0; i < keys.size(); i++) {
            messageLog().accepted(keys.get(i), type, T0.plusSeconds(i), "raw " + i);
        }
        messageLog().failed(keys.get(1), type, T0.plusSeconds(1), "raw 1", Status.DEAD_LETTERED, "why");
        messageLog().applied(keys.get(3), 1, List.of("Patient/3/_history/1"), List.of());

        assertThat(messageLog().search(null, type, null, 0, 2)).extracting(Entry::key).containsExactly(keys.get(4), keys.get(3));
        assertThat(messageLog().search(null, type, null, 1, 2)).extracting(Entry::key).containsExactly(keys.get(2), keys.get(1));
        assertThat(messageLog().search(null, type, null, 2, 2)).extracting(Entry::key).containsExactly(keys.get(0));
        assertThat(messageLog().search(null, type, null, 3, 2)).isEmpty();
        assertThat(messageLog().search(Status.DEAD_LETTERED, type, null, 0, 50)).extracting(Entry::key).containsExactly(keys.get(1));
        assertThat(messageLog().search(null, type, T0.plusSeconds(3), 0, 50)).extracting(Entry::key)
                .containsExactly(keys.get(4), keys.get(3));
        assertThat(messageLog().search(Status.ACCEPTED, type, T0.plusSeconds(2), 0, 50)).extracting(Entry::key)
                .containsExactly(keys.get(4), keys.get(2));
        assertThat(messageLog().search(Status.ACCEPTED, null, null, 0, 3)).hasSize(3)
                .allMatch(entry -> entry.status() == Status.ACCEPTED);
    }

    /** The log is written in the caller's transaction: rolled back with it, committed with it. */
    @Test
    default void aLogWriteInTheCallersTransactionIsRolledBackWithIt() {
        String type = newType();
        Key rolledBack = newKey();
        Key committed = newKey();
        TransactionTemplate transaction = new TransactionTemplate(transactionManager());

        transaction.executeWithoutResult(status -> {
            messageLog().accepted(rolledBack, type, T0, "raw");
            assertThat(logged(type)).hasSize(1);
            status.setRollbackOnly();
        });
        transaction.executeWithoutResult(status -> messageLog().accepted(committed, type, T0, "raw"));

        assertThat(logged(type)).extracting(Entry::key).containsExactly(committed);
    }

    /** A message already logged, taken again inside a transaction, leaves that transaction usable (PostgreSQL). */
    @Test
    default void aMessageAlreadyLoggedLeavesTheCallersTransactionUsable() {
        String type = newType();
        Key key = newKey();
        messageLog().failed(key, type, T0, "raw", Status.DEAD_LETTERED, "store refused it");

        new TransactionTemplate(transactionManager()).executeWithoutResult(status -> {
            assertThat(messageLog().accepted(key, type, T0, "raw").status()).isEqualTo(Status.DEAD_LETTERED);
            messageLog().applied(key, 1, List.of("Patient/9/_history/2"), List.of());
        });

        assertThat(logged(type)).singleElement().satisfies(entry -> {
            assertThat(entry.status()).isEqualTo(Status.APPLIED);
            assertThat(entry.reason()).isNull();
        });
    }
}
