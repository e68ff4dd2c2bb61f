package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.HeldExecutor;
import io.etcdkit.recipes.RecordingListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.lang.management.ManagementFactory;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mutex's asynchronous forms against a real member: futures complete on the client's callback executor, a
 * cancel withdraws the waiter's key, a thousand pending acquisitions need no thread each, and (with the opt-in event
 * decision) a waiter whose predecessor was the only older key takes the lock from the delete event without a read.
 */
class MutexAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final String CALLBACK_THREAD = "mutex-async-callback-";
    static ExecutorService callbacks;
    static EtcdClient client;
    static final RecordingListener seen = new RecordingListener();

    @BeforeAll
    static void connect() {
        AtomicInteger n = new AtomicInteger();
        callbacks = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, CALLBACK_THREAD + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).callbackExecutor(callbacks).listener(seen)
                .build();
    }

    @AfterAll
    static void close() {
        client.close();
        callbacks.shutdownNow();
    }

    static Session session() {
        return Session.open(client, Duration.ofSeconds(10));
    }

    static long keys(String prefix) {
        return client.kv().count(Range.prefix(prefix));
    }

    @Test
    void asyncFormsLockTimeOutAndUnlockOnTheCallbackExecutor() throws Exception {
        try (Session a = session(); Session b = session()) {
            Mutex ma = Mutex.of(a, "amx/basic");
            // all four callback threads held until the dependent is attached, so the future cannot complete first
            List<HeldExecutor> busy = IntStream.range(0, 4).mapToObj(i -> HeldExecutor.hold(callbacks)).toList();
            CompletableFuture<String> thread;
            try {
                thread = ma.lockAsync().thenApply(h -> Thread.currentThread().getName());
            } finally {
                busy.forEach(HeldExecutor::release);
            }
            assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith(CALLBACK_THREAD);
            assertThat(ma.isHeld()).isTrue();
            long token = ma.fencingToken();

            Mutex mb = Mutex.of(b, "amx/basic");
            assertThat(mb.tryLockAsync().get(10, TimeUnit.SECONDS)).isEmpty();
            assertThat(mb.tryLockAsync(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS)).isEmpty();
            assertThatThrownBy(() -> mb.lockAsync(Duration.ofMillis(300)).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(LockTimeoutException.class);
            assertThat(keys("amx/basic/")).as("time-outs removed b's key").isEqualTo(1);

            CompletableFuture<HeldLock> waiting = mb.lockAsync();
            await("b queued").atMost(Duration.ofSeconds(10)).until(() -> keys("amx/basic/") == 2);
            ma.unlockAsync().get(10, TimeUnit.SECONDS);
            HeldLock held = waiting.get(10, TimeUnit.SECONDS);
            assertThat(held.fencingToken()).isGreaterThan(token);
            assertThat(ma.isHeld()).isFalse();
            mb.unlockAsync().get(10, TimeUnit.SECONDS);
            mb.unlockAsync().get(10, TimeUnit.SECONDS); // idempotent
            assertThat(keys("amx/basic/")).isZero();
            assertThat(Mutex.inUse(a)).isZero();
            assertThat(Mutex.inUse(b)).isZero();
        }
    }

    /**
     * A hold granted as its acquisition was cancelled is given back from the callback that found it, without
     * waiting there for etcd: with every other callback thread held, the give-back returns at once, and the release
     * completes once a thread is free to take etcd's answer.
     */
    @Test
    void aHoldNobodyWillSeeIsGivenBackWithoutWaitingOnTheCallbackThread() throws Exception {
        try (Session a = session()) {
            Mutex ma = Mutex.of(a, "amx/give-back");
            HeldLock held = ma.lockAsync().get(10, TimeUnit.SECONDS);
            assertThat(keys("amx/give-back/")).isEqualTo(1);
            List<HeldExecutor> busy = IntStream.range(0, 3).mapToObj(i -> HeldExecutor.hold(callbacks)).toList();
            try {
                CompletableFuture.runAsync(() -> AsyncHolds.giveBack(held), callbacks).get(10, TimeUnit.SECONDS);
            } finally {
                busy.forEach(HeldExecutor::release);
            }
            await("given back").atMost(Duration.ofSeconds(10)).until(() -> keys("amx/give-back/") == 0);
            await().atMost(Duration.ofSeconds(10)).until(() -> !ma.isHeld());
            assertThat(Mutex.of(a, "amx/give-back").tryLockAsync().get(10, TimeUnit.SECONDS)).isPresent();
            ma.unlockAsync().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void cancellingAPendingLockWithdrawsTheWaitersKey() throws Exception {
        try (Session a = session(); Session b = session(); Session c = session()) {
            HeldLock held = Mutex.of(a, "amx/cancel").lock();
            CompletableFuture<HeldLock> b1 = Mutex.of(b, "amx/cancel").lockAsync();
            CompletableFuture<HeldLock> c1 = Mutex.of(c, "amx/cancel").lockAsync();
            String bKey = "amx/cancel/" + Long.toHexString(b.leaseId());
            await("b and c queued").atMost(Duration.ofSeconds(10)).until(() -> keys("amx/cancel/") == 3);
            assertThat(b1.cancel(false)).isTrue();
            await("b's key withdrawn").atMost(Duration.ofSeconds(10))
                    .until(() -> client.kv().get(bKey).isEmpty());
            assertThat(Mutex.inUse(b)).isZero();
            held.close();
            HeldLock cHeld = c1.get(10, TimeUnit.SECONDS); // c waited on b, which left: c is next
            assertThat(cHeld.key().toStringUtf8()).isEqualTo("amx/cancel/" + Long.toHexString(c.leaseId()));
            // a pending local request (same session, second caller) is withdrawn too
            Mutex mc = Mutex.of(c, "amx/cancel");
            CompletableFuture<Optional<HeldLock>> second = mc.tryLockAsync(Duration.ofSeconds(30));
            assertThat(second.cancel(false)).isTrue();
            cHeld.close();
            assertThat(mc.tryLockAsync().get(10, TimeUnit.SECONDS)).as("nothing left behind the cancel")
                    .isPresent();
            mc.unlock();
            assertThat(keys("amx/cancel/")).isZero();
        }
    }

    @Test
    void aThousandPendingAcquisitionsNeedNoThreadEach() throws Exception {
        int sessions = 100;
        int perSession = 10;
        List<Session> opened = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                opened.add(session());
            }
            Session holder = session();
            opened.add(holder);
            HeldLock first = Mutex.of(holder, "amx/many").lock();
            int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            AtomicLong lastToken = new AtomicLong(first.fencingToken());
            AtomicInteger outOfOrder = new AtomicInteger();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < sessions * perSession; i++) {
                Mutex m = Mutex.of(opened.get(i % sessions), "amx/many");
                all.add(m.lockAsync().thenCompose(h -> {
                    if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                    }
                    if (h.fencingToken() < lastToken.getAndSet(h.fencingToken())) {
                        outOfOrder.incrementAndGet();
                    }
                    inside.decrementAndGet();
                    return m.unlockAsync();
                }));
            }
            await("every session queued").atMost(Duration.ofSeconds(60))
                    .until(() -> keys("amx/many/") == sessions + 1);
            int threadsWaiting = ManagementFactory.getThreadMXBean().getThreadCount();
            first.close();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            System.out.printf("ASYNC: %d acquisitions pending on %d sessions; JVM threads %d before, %d while "
                    + "waiting%n", all.size(), sessions, threadsBefore, threadsWaiting);
            assertThat(threadsWaiting - threadsBefore).as("threads added while 1,000 acquisitions wait")
                    .isLessThanOrEqualTo(4);
            assertThat(overlaps).as("holders at once").hasValue(0);
            assertThat(outOfOrder).as("fencing tokens going down").hasValue(0);
            assertThat(keys("amx/many/")).isZero();
            assertThat(Mutex.inUse(opened.get(0))).isZero();
        } finally {
            opened.forEach(Session::close);
        }
    }

    @Test
    void aWaiterBehindTheOnlyOlderKeyTakesTheLockFromTheDeleteEventWithoutARead() throws Exception {
        System.setProperty("etcdkit.lock.eventDecision", "true"); // an opt-in lever, read when a wait starts
        try (Session a = session(); Session b = session()) {
            HeldLock held = Mutex.of(a, "amx/fast").lock();
            long watchesBefore = seen.watchesOpened();
            CompletableFuture<HeldLock> waiting = Mutex.of(b, "amx/fast").lockAsync();
            await("b queued and watching").atMost(Duration.ofSeconds(10))
                    .until(() -> keys("amx/fast/") == 2 && seen.watchesOpened() - watchesBefore >= 2);
            Thread.sleep(200); // no awaitable signal for "the watches are established"; a miss only adds a read
            long readsBefore = seen.reads();
            long wakeUpsBefore = seen.wakeUps();
            held.close();
            waiting.get(10, TimeUnit.SECONDS).close();
            assertThat(seen.wakeUps() - wakeUpsBefore).as("wake-ups").isEqualTo(1);
            assertThat(seen.reads() - readsBefore).as("reads between the delete and the hold").isZero();
        } finally {
            System.clearProperty("etcdkit.lock.eventDecision");
        }
    }
}
