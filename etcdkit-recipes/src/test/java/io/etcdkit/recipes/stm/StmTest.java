package io.etcdkit.recipes.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.testing.EtcdClusterExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@Timeout(30)
class StmTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static EtcdClient client;
    private static ExecutorService pool;

    private String a;
    private String b;
    private String c;
    private final AtomicInteger invocations = new AtomicInteger();

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        pool = Executors.newCachedThreadPool();
    }

    @AfterAll
    static void close() {
        pool.shutdownNow();
        client.close();
    }

    @BeforeEach
    void accounts() {
        String prefix = "accounts/" + UUID.randomUUID() + "/";
        a = prefix + "a";
        b = prefix + "b";
        c = prefix + "c";
        for (String account : List.of(a, b, c)) {
            client.kv().put(account, "100");
        }
    }

    private static long balance(String key) {
        return Long.parseLong(client.kv().get(key).orElseThrow().valueAsString());
    }

    private static long balance(StmTxn txn, String key) {
        return txn.get(key, Codecs.longs()).orElse(0L);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).as("latch released in time").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * T1 moves 10 from a to b, but after its reads on the first attempt it waits while T2 moves 20 from a to c and
     * commits. T1's reads of a are then stale.
     */
    private void interleaveTwoTransfers(Isolation level) throws Exception {
        Stm stm = Stm.of(client).isolation(level);
        CountDownLatch t1HasRead = new CountDownLatch(1);
        CountDownLatch t2HasCommitted = new CountDownLatch(1);
        Future<?> t1 = pool.submit(() -> stm.run(txn -> {
            long fromA = balance(txn, a);
            long toB = balance(txn, b);
            if (invocations.incrementAndGet() == 1) {
                t1HasRead.countDown();
                await(t2HasCommitted);
            }
            txn.put(a, fromA - 10, Codecs.longs());
            txn.put(b, toB + 10, Codecs.longs());
            return null;
        }));
        await(t1HasRead);
        stm.run(txn -> {
            long fromA = balance(txn, a);
            long toC = balance(txn, c);
            txn.put(a, fromA - 20, Codecs.longs());
            txn.put(c, toC + 20, Codecs.longs());
            return null;
        });
        t2HasCommitted.countDown();
        t1.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"SERIALIZABLE_SNAPSHOT", "SERIALIZABLE", "REPEATABLE_READ"})
    void aTransferThatReadStaleBalancesReRunsAndTheTotalIsKept(Isolation level) throws Exception {
        interleaveTwoTransfers(level);

        assertThat(invocations).as("the function re-ran after the conflict").hasValue(2);
        assertThat(List.of(balance(a), balance(b), balance(c))).containsExactly(70L, 110L, 120L);
    }

    @Test
    void readCommittedNeverReRunsSoAConcurrentTransferIsLost() throws Exception {
        interleaveTwoTransfers(Isolation.READ_COMMITTED);

        assertThat(invocations).as("no compares, so no conflict and no re-run").hasValue(1);
        // T1 wrote a = 100 - 10 over T2's a = 80: T2's debit is lost and 20 was created from nothing.
        assertThat(List.of(balance(a), balance(b), balance(c))).containsExactly(90L, 110L, 120L);
        assertThat(balance(a) + balance(b) + balance(c)).isEqualTo(320);
    }

    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"SERIALIZABLE_SNAPSHOT", "SERIALIZABLE", "REPEATABLE_READ"})
    void manyConcurrentTransfersKeepTheTotal(Isolation level) throws Exception {
        Stm stm = Stm.of(client).isolation(level).retries(1000).backoff(Duration.ofMillis(1), Duration.ofMillis(50));
        List<String> accounts = List.of(a, b, c);
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(pool.submit(() -> {
                for (int i = 0; i < 15; i++) {
                    int from = ThreadLocalRandom.current().nextInt(3);
                    int to = (from + 1 + ThreadLocalRandom.current().nextInt(2)) % 3;
                    long amount = 1 + ThreadLocalRandom.current().nextInt(20);
                    stm.run(txn -> {
                        long source = balance(txn, accounts.get(from));
                        long target = balance(txn, accounts.get(to));
                        txn.put(accounts.get(from), source - amount, Codecs.longs());
                        txn.put(accounts.get(to), target + amount, Codecs.longs());
                        return null;
                    });
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get(20, TimeUnit.SECONDS);
        }

        assertThat(balance(a) + balance(b) + balance(c)).isEqualTo(300);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aBlindWriteConflictReRunsOnlyUnderSerializableSnapshot(Isolation level) {
        Stm stm = Stm.of(client).isolation(level);

        stm.run(txn -> {
            txn.get(a);
            if (invocations.incrementAndGet() == 1) {
                client.kv().put(c, "written by another after our snapshot");
            }
            txn.put(c, "mine"); // c was never read: a blind write
            return null;
        });

        int expected = level == Isolation.SERIALIZABLE_SNAPSHOT ? 2 : 1;
        assertThat(invocations).hasValue(expected);
        assertThat(client.kv().get(c).orElseThrow().valueAsString()).isEqualTo("mine");
    }

    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = {"SERIALIZABLE_SNAPSHOT", "SERIALIZABLE", "REPEATABLE_READ"})
    void givesUpAfterTheRetryLimitHavingWrittenNothing(Isolation level) {
        Stm stm = Stm.of(client).isolation(level).retries(2).backoff(Duration.ofMillis(1), Duration.ofMillis(5));
        String untouched = a + "-untouched";

        assertThatThrownBy(() -> stm.run(txn -> {
            txn.get(a);
            client.kv().put(a, "changed " + invocations.incrementAndGet()); // another writer, every time
            txn.put(untouched, "mine");
            return null;
        })).isInstanceOfSatisfying(StmConflictException.class, e -> {
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e.keys()).containsExactly(Bytes.of(a));
            assertThat(e.getMessage()).contains("3 attempts").contains(a).contains("Nothing was written");
        });
        assertThat(invocations).hasValue(3);
        assertThat(client.kv().exists(untouched)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aFunctionThatThrowsAbortsWithoutWriting(Isolation level) {
        IllegalStateException refusal = new IllegalStateException("insufficient funds");

        assertThatThrownBy(() -> Stm.of(client).isolation(level).run(txn -> {
            invocations.incrementAndGet();
            txn.put(a, "0");
            txn.delete(b);
            txn.get(c);
            throw refusal;
        })).isSameAs(refusal);
        assertThat(invocations).hasValue(1);
        assertThat(balance(a)).isEqualTo(100);
        assertThat(balance(b)).isEqualTo(100);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void snapshotLevelsReadOneRevisionTheOthersTheLatest(Isolation level) {
        AtomicReference<String> firstSeen = new AtomicReference<>();

        Stm.of(client).isolation(level).run(txn -> {
            txn.get(a);
            if (invocations.incrementAndGet() == 1) {
                client.kv().put(b, "200");
                firstSeen.set(txn.get(b).orElseThrow());
            }
            return null;
        });

        boolean snapshot = level == Isolation.SERIALIZABLE_SNAPSHOT || level == Isolation.SERIALIZABLE;
        assertThat(firstSeen.get()).isEqualTo(snapshot ? "100" : "200");
    }

    @Test
    void readCommittedReadsAreNotRepeatableButRepeatableReadsAre() {
        Map<Isolation, List<String>> seen = new EnumMap<>(Isolation.class);
        for (Isolation level : List.of(Isolation.READ_COMMITTED, Isolation.REPEATABLE_READ)) {
            client.kv().put(a, "1");
            AtomicInteger runs = new AtomicInteger();
            Stm.of(client).isolation(level).run(txn -> {
                String first = txn.get(a).orElseThrow();
                if (runs.incrementAndGet() == 1) {
                    client.kv().put(a, "2");
                    seen.put(level, List.of(first, txn.get(a).orElseThrow()));
                }
                return null;
            });
        }

        assertThat(seen.get(Isolation.READ_COMMITTED)).containsExactly("1", "2");
        assertThat(seen.get(Isolation.REPEATABLE_READ)).containsExactly("1", "1");
    }

    @Test
    void readsSeeTheAttemptsOwnWritesAndRevReadsTheStore() {
        long storedRevision = client.kv().get(a).orElseThrow().modRevision();

        String result = Stm.of(client).run(txn -> {
            txn.put(a, "written");
            assertThat(txn.get(a)).contains("written");
            assertThat(txn.rev(a)).as("rev ignores this attempt's writes").isEqualTo(storedRevision);
            txn.delete(a);
            assertThat(txn.get(a)).isEmpty();
            assertThat(txn.get(b + "-missing")).isEmpty();
            assertThat(txn.rev(b + "-missing")).isZero();
            return "done";
        });

        assertThat(result).isEqualTo("done");
        assertThat(client.kv().exists(a)).isFalse();
    }

    @Test
    void theTxnCannotBeUsedAfterTheFunctionReturns() {
        StmTxn kept = Stm.of(client).run(txn -> txn);

        assertThatThrownBy(() -> kept.get(a)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside the function");
    }

    @Test
    void aCompactedSnapshotReRunsTheFunctionOnANewOne() {
        String result = Stm.of(client).run(txn -> {
            txn.get(a);
            if (invocations.incrementAndGet() == 1) {
                client.kv().put(b, "200");
                client.maintenance().compact(client.kv().range(Range.key(b)).revision(), false);
            }
            String seen = txn.get(b).orElseThrow(); // at the snapshot revision: compacted on the first attempt
            txn.put(c, seen);
            return seen;
        });

        assertThat(invocations).hasValue(2);
        assertThat(result).isEqualTo("200");
        assertThat(client.kv().get(c).orElseThrow().valueAsString()).isEqualTo("200");
    }

    @Test
    void anUnknownCommitOutcomeIsSurfacedAndTheFunctionIsNotReRun() {
        EtcdClient losing = losingWriteAnswers(client);

        assertThatThrownBy(() -> Stm.of(losing).run(txn -> {
            invocations.incrementAndGet();
            txn.put(a, balance(txn, a) - 1, Codecs.longs());
            return null;
        })).isInstanceOf(OutcomeUnknownException.class).hasMessageContaining(a).hasMessageContaining("not run again");
        assertThat(invocations).hasValue(1);
        assertThat(balance(a)).as("applied exactly once").isEqualTo(99);
    }

    /** A client whose write transactions are applied but whose answers are lost, as when a leader dies. */
    private static EtcdClient losingWriteAnswers(EtcdClient real) {
        Object kv = Proxy.newProxyInstance(StmTest.class.getClassLoader(), new Class<?>[] {io.etcdkit.kv.Kv.class},
                (p, m, args) -> {
                    if (m.getName().startsWith("commit") && args[0] instanceof Transaction t
                            && !t.thenOps().isEmpty()) {
                        real.kv().commit(t);
                        OutcomeUnknownException lost = new OutcomeUnknownException("injected: the answer was lost");
                        if (m.getName().equals("commitAsync")) {
                            return CompletableFuture.failedFuture(lost);
                        }
                        throw lost;
                    }
                    return invoke(real.kv(), m, args);
                });
        return (EtcdClient) Proxy.newProxyInstance(StmTest.class.getClassLoader(), new Class<?>[] {EtcdClient.class},
                (p, m, args) -> m.getName().equals("kv") ? kv : invoke(real, m, args));
    }

    private static Object invoke(Object target, java.lang.reflect.Method m, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
