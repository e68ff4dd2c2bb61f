package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.RecordingListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With 64 waiters, one hand-off wakes one waiter: no thundering herd. Reads stay about one per hand-off (an early
 * look when the key before the predecessor goes, or a re-check after the predecessor's delete). Also measures
 * uncontended and hand-off latency.
 */
class LockHerdTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final int WAITERS = 64;

    @Test
    void eachHandOffWakesExactlyOneWaiter() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WAITERS);
        RecordingListener seen = new RecordingListener();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(seen).build();
                Session holder = Session.open(client, Duration.ofSeconds(10))) {
            // Uncontended lock+unlock latency, for the notes.
            long[] uncontended = new long[200];
            for (int i = 0; i < uncontended.length; i++) {
                long t0 = System.nanoTime();
                Mutex.of(holder, "herd/warm").lock().close();
                uncontended[i] = System.nanoTime() - t0;
            }
            HeldLock first = Mutex.of(holder, "herd/lock").lock();
            List<Session> sessions = new ArrayList<>();
            long[] acquiredAt = new long[WAITERS];
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < WAITERS; w++) {
                Session s = Session.open(client, Duration.ofSeconds(10));
                sessions.add(s);
                int index = w;
                futures.add(pool.submit(() -> {
                    HeldLock h = Mutex.of(s, "herd/lock").lock();
                    acquiredAt[index] = System.nanoTime();
                    h.close(); // hand off to the next at once
                    return null;
                }));
            }
            await("all waiters queued").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> client.kv().count(Range.prefix("herd/lock/")) >= WAITERS + 1);
            Thread.sleep(200); // let every waiter settle into its predecessor watch
            // The measured phase: reads are read-only KV calls (the waiters' turn checks), watches are watchers
            // opened, wake-ups are queue waiters woken, all as the client's listener hears them.
            long wakeupsBefore = seen.wakeUps();
            long readsBefore = seen.reads();
            long watchesBefore = seen.watchesOpened();
            long released = System.nanoTime();
            first.close();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            long wakeups = seen.wakeUps() - wakeupsBefore;
            long reads = seen.reads() - readsBefore;
            long watches = seen.watchesOpened() - watchesBefore;
            Arrays.sort(acquiredAt);
            long total = acquiredAt[WAITERS - 1] - released;
            Arrays.sort(uncontended);
            System.out.printf("LOCK: uncontended lock+unlock p50 %.2f ms p99 %.2f ms; %d hand-offs with %d waiters in "
                    + "%d ms (%.2f ms per hand-off); wake-ups %d, predecessor reads %d, new watches %d%n",
                    uncontended[100] / 1e6, uncontended[197] / 1e6, WAITERS, WAITERS, total / 1_000_000,
                    total / 1e6 / WAITERS, wakeups, reads, watches);
            assertThat(wakeups).as("one wake-up per hand-off").isEqualTo(WAITERS);
            // A waiter reads once per hand-off: early, when the key before its predecessor goes (then the
            // predecessor's delete is decided without a read), or after the predecessor's delete when the early
            // read lost the race; both at most. A herd would read once per waiter per hand-off.
            assertThat(reads).as("reads per hand-off").isLessThanOrEqualTo(2L * WAITERS);
            assertThat(watches).as("no waiter had to start a new watch").isZero();
            sessions.forEach(Session::close);
        } finally {
            pool.shutdownNow();
        }
    }
}
