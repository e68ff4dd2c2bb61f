package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The semaphore's async acquisition against a real etcd: it waits without a thread, completes on the client's
 * callback executor, withdraws its key when cancelled or timed out, and fails with the typed exception when the
 * session ends while it waits.
 */
class SemaphoreAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final String CALLBACK_THREAD = "sem-async-callback";
    static ExecutorService callbacks;
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        callbacks = Executors.newFixedThreadPool(2, r -> new Thread(r, CALLBACK_THREAD));
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).callbackExecutor(callbacks).build();
    }

    @AfterAll
    static void close() {
        client.close();
        callbacks.shutdownNow();
    }

    static Session session() {
        return Session.open(client, Duration.ofSeconds(5));
    }

    static long keys(String prefix) {
        return client.kv().count(Range.prefix(prefix));
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aWaiterIsAdmittedWhenAPermitIsReleasedAndCompletesOnTheCallbackExecutor() throws Exception {
        try (Session a = session(); Session b = session(); Session c = session()) {
            Permit pa = get(Semaphore.of(a, "asem/basic", 2).acquireAsync());
            Permit pb = get(Semaphore.of(b, "asem/basic", 2).acquireAsync());
            assertThat(pb.fencingToken()).isGreaterThan(pa.fencingToken());
            CompletableFuture<Permit> waiting = Semaphore.of(c, "asem/basic", 2).acquireAsync();
            CompletableFuture<String> completedOn = waiting.thenApply(p -> Thread.currentThread().getName());
            await().atMost(Duration.ofSeconds(10)).until(() -> keys("asem/basic/queue/") == 3);
            assertThat(waiting).as("all permits are taken").isNotDone();
            get(Semaphore.of(a, "asem/basic", 2).releaseAsync());
            // (only completedOn is waited for: a thread blocked in get() may itself run the dependents of the
            // future it waited on, which is the JDK's doing, not ours)
            assertThat(get(completedOn)).isEqualTo(CALLBACK_THREAD);
            Permit pc = waiting.join();
            assertThat(pc.key().toStringUtf8()).isEqualTo("asem/basic/queue/" + Long.toHexString(c.leaseId()));
            assertThat(Semaphore.of(c, "asem/basic", 2).isHeld()).isTrue();
            assertThat(get(Semaphore.of(c, "asem/basic", 2).availablePermitsAsync())).isZero();
            pc.close();
            pb.close();
            assertThat(keys("asem/basic/queue/")).isZero();
        }
    }

    @Test
    void cancellingAWaitingAcquisitionDeletesItsKey() throws Exception {
        try (Session a = session(); Session b = session(); Session c = session()) {
            Permit held = get(Semaphore.of(a, "asem/cancel", 1).acquireAsync());
            CompletableFuture<Permit> waiting = Semaphore.of(b, "asem/cancel", 1).acquireAsync();
            await().atMost(Duration.ofSeconds(10)).until(() -> keys("asem/cancel/queue/") == 2);
            assertThat(waiting.cancel(false)).isTrue();
            await("the cancelled waiter's key is deleted").atMost(Duration.ofSeconds(10))
                    .until(() -> keys("asem/cancel/queue/") == 1);
            held.close();
            // the cancelled waiter took nothing: a third session gets the permit at once
            Permit pc = get(Semaphore.of(c, "asem/cancel", 1).tryAcquireAsync()).orElseThrow();
            assertThat(Semaphore.of(b, "asem/cancel", 1).isHeld()).isFalse();
            pc.close();
            // and b's session can acquire again (its local turn was freed)
            get(Semaphore.of(b, "asem/cancel", 1).acquireAsync(Duration.ofSeconds(10))).close();
        }
    }

    @Test
    void aTimeOutFailsWithTheTypedExceptionAfterDeletingTheKey() throws Exception {
        try (Session a = session(); Session b = session()) {
            Permit held = get(Semaphore.of(a, "asem/timeout", 1).acquireAsync());
            long start = System.nanoTime();
            assertThat(Semaphore.of(b, "asem/timeout", 1).acquireAsync(Duration.ofMillis(300)))
                    .failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(LockTimeoutException.class)
                    .withMessageContaining("asem/timeout").withMessageContaining("PT0.3S");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(keys("asem/timeout/queue/")).as("the timed-out waiter's key is gone").isEqualTo(1);
            assertThat(get(Semaphore.of(b, "asem/timeout", 1).tryAcquireAsync(Duration.ofMillis(100)))).isEmpty();
            assertThat(get(Semaphore.of(b, "asem/timeout", 1).tryAcquireAsync())).as("never waits").isEmpty();
            assertThat(keys("asem/timeout/queue/")).isEqualTo(1);
            held.close();
            Optional<Permit> now = get(Semaphore.of(b, "asem/timeout", 1).tryAcquireAsync());
            assertThat(now).isPresent();
            now.get().close();
        }
    }

    @Test
    void theSessionExpiringWhileWaitingFailsWithSessionExpired() throws Exception {
        try (Session a = session()) {
            Session b = session();
            Permit held = get(Semaphore.of(a, "asem/expire", 1).acquireAsync());
            CompletableFuture<Permit> waiting = Semaphore.of(b, "asem/expire", 1).acquireAsync();
            await().atMost(Duration.ofSeconds(10)).until(() -> keys("asem/expire/queue/") == 2);
            client.leases().revoke(b.leaseId()); // the lease is gone under the waiter
            assertThat(waiting).failsWithin(Duration.ofSeconds(20)).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(SessionExpiredException.class);
            assertThat(keys("asem/expire/queue/")).isEqualTo(1);
            held.close();
            b.close();
        }
    }

    @Test
    void manyAsyncWaitersNeverExceedTheLimit() throws Exception {
        int sessions = 12;
        List<Session> opened = new ArrayList<>();
        AtomicInteger holding = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                Session s = get(Session.openAsync(client, Duration.ofSeconds(5)));
                opened.add(s);
                Semaphore sem = Semaphore.of(s, "asem/many", 3);
                runs.add(sem.acquireAsync().thenCompose(p -> {
                    most.accumulateAndGet(holding.incrementAndGet(), Math::max);
                    return CompletableFuture.runAsync(() -> { },
                            CompletableFuture.delayedExecutor(20, TimeUnit.MILLISECONDS)).thenCompose(x -> {
                                holding.decrementAndGet();
                                return sem.releaseAsync();
                            });
                }));
            }
            get(CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)));
            assertThat(most.get()).isBetween(1, 3);
            assertThat(keys("asem/many/queue/")).isZero();
        } finally {
            opened.forEach(Session::close);
        }
    }
}
