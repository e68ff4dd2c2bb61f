package io.etcdkit.recipes.stm;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Stm#runAsync} against a real etcd: transfers stay atomic under concurrent async runs on one callback
 * thread (which would deadlock if anything blocked it), conflicts re-run the function, and failures arrive as the
 * typed exceptions of the blocking form.
 */
@Timeout(60)
class StmAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final String CALLBACK_THREAD = "stm-async-callback";
    static CallbackThreadClient oneThread;
    static EtcdClient client;
    static EtcdClient other; // "someone else" writing: its own callback executor, so blocking on it is fine

    private final List<String> accounts = new ArrayList<>();

    @BeforeAll
    static void connect() {
        oneThread = CallbackThreadClient.open(ETCD, CALLBACK_THREAD);
        client = oneThread.client();
        other = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        other.close();
        oneThread.close();
    }

    @BeforeEach
    void open() {
        String prefix = "async-accounts/" + UUID.randomUUID() + "/";
        for (int i = 0; i < 4; i++) {
            accounts.add(prefix + i);
            client.kv().put(prefix + i, "100");
        }
    }

    private static long balance(String key) {
        return Long.parseLong(client.kv().get(key).orElseThrow().valueAsString());
    }

    private CompletableFuture<Long> transfer(Stm stm, String from, String to, long amount, Set<String> threads) {
        return stm.runAsync(txn -> {
            threads.add(Thread.currentThread().getName());
            long f = txn.get(from, Codecs.longs()).orElse(0L);
            long t = txn.get(to, Codecs.longs()).orElse(0L);
            txn.put(from, f - amount, Codecs.longs());
            txn.put(to, t + amount, Codecs.longs());
            return f - amount;
        });
    }

    @Test
    void concurrentAsyncTransfersKeepTheTotalOnOneCallbackThread() throws Exception {
        Stm stm = Stm.of(client).retries(200).backoff(Duration.ofMillis(1), Duration.ofMillis(20));
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<CompletableFuture<Long>> runs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String from = accounts.get(i % 4);
            String to = accounts.get((i + 1) % 4);
            runs.add(transfer(stm, from, to, 1 + i % 3, threads));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(45, TimeUnit.SECONDS);
        long total = 0;
        for (String a : accounts) {
            total += balance(a);
        }
        assertThat(total).as("no transfer was lost or applied twice").isEqualTo(400);
        assertThat(threads).as("the function ran on the callback executor (and the first call on this thread)")
                .contains(CALLBACK_THREAD);
    }

    @Test
    void aConflictReRunsTheFunctionAndTheResultIsCommitted() throws Exception {
        String key = accounts.get(0);
        List<Long> seen = new ArrayList<>();
        long result = Stm.of(client).runAsync(txn -> {
            long v = txn.get(key, Codecs.longs()).orElse(0L);
            synchronized (seen) {
                seen.add(v);
                if (seen.size() == 1) { // the first call that knows the value: another writer comes first, once
                    other.kv().put(key, "500");
                }
            }
            txn.put(key, v + 1, Codecs.longs());
            return v + 1;
        }).get(20, TimeUnit.SECONDS);
        assertThat(result).isEqualTo(501);
        assertThat(balance(key)).isEqualTo(501);
    }

    @Test
    void retriesRunOutAsStmConflictAndAFunctionFailureArrivesUnchanged() {
        String key = accounts.get(1);
        CompletableFuture<Object> conflicted = Stm.of(client).retries(1).runAsync(txn -> {
            long v = txn.get(key, Codecs.longs()).orElse(0L);
            other.kv().put(key, Long.toString(v + 1000)); // always someone first
            txn.put(key, v + 1, Codecs.longs());
            return null;
        });
        assertThat(conflicted).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(StmConflictException.class).withMessageContaining("2 attempts");
        IllegalStateException boom = new IllegalStateException("insufficient funds");
        CompletableFuture<Object> failed = Stm.of(client).runAsync(txn -> {
            txn.get(key);
            txn.put(accounts.get(2), "0");
            throw boom;
        });
        assertThat(failed).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                .havingCause().isSameAs(boom);
        assertThat(balance(accounts.get(2))).as("nothing written").isEqualTo(100);
    }
}
