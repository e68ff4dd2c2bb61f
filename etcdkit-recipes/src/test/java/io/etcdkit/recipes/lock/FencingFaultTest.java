package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.FencingChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 8 clients x 200 lock cycles increment a guarded register on a 3-member cluster while the leader is killed and a
 * holder is frozen past its TTL (its only member is SIGSTOPped, so its keep-alives stop: a simulated GC pause).
 * Judged by the fencing checker: no guarded write by a stale holder is accepted, no increment lost, and the lock
 * is acquirable again within TTL + 1 s of the holder's death. A worker whose session expires under the faults
 * starts a new one and redoes its cycle (the line FENCING says how often that happened).
 */
class FencingFaultTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();
    static final String LOCK = "fence/lock";
    static final String REGISTER = "fence/register";
    static final int WORKERS = 8;
    static final int CYCLES = 200;
    static final Duration TTL = Duration.ofSeconds(3);

    final FencingChecker checker = new FencingChecker();
    final AtomicLong acquisitions = new AtomicLong();
    final AtomicLong lostSessions = new AtomicLong();

    @Test
    void staleHoldersNeverWriteAndNoIncrementIsLost() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<EtcdClient> clients = new ArrayList<>();
        // The holder that will be frozen talks only to `frozen`; the workers never do, so freezing it stalls
        // nobody but that holder (as a GC pause would).
        EtcdMember firstLeader = ETCD.cluster().leader();
        EtcdMember frozen = ETCD.cluster().members().stream().filter(m -> m != firstLeader).findFirst().orElseThrow();
        List<String> others = ETCD.cluster().members().stream().filter(m -> m != frozen)
                .map(EtcdMember::clientEndpoint).toList();
        try (EtcdClient admin = client(others)) {
            admin.kv().put(REGISTER, "0");
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                EtcdClient c = client(others);
                clients.add(c);
                String name = "worker-" + w;
                workers.add(pool.submit(() -> {
                    runWorker(c, name);
                    return null;
                }));
            }
            awaitAcquisitions(WORKERS * CYCLES / 4);
            EtcdMember leader = ETCD.cluster().leader();
            leader.kill();
            awaitAcquisitions(WORKERS * CYCLES / 2);
            leader.start();
            ETCD.cluster().awaitHealthy(Duration.ofSeconds(20));

            if (ETCD.cluster().leader() == frozen) {
                EtcdMember target = ETCD.cluster().members().stream().filter(m -> m != frozen).findFirst()
                        .orElseThrow();
                try (EtcdClient all = client(ETCD.clientEndpoints())) {
                    all.maintenance().moveLeader(Long.parseUnsignedLong(target.memberId(), 16));
                }
                ETCD.cluster().awaitLeader(Duration.ofSeconds(10));
            }
            staleHolderIsFencedOff(frozen);

            for (Future<?> f : workers) {
                f.get(180, TimeUnit.SECONDS);
            }
            long register = Long.parseLong(admin.kv().get(REGISTER).orElseThrow().valueAsString());
            FencingChecker.Report report = checker.check(register);
            System.out.println("FENCING: " + report.summary() + "; longest wait with the lock free "
                    + checker.acquisitionGaps().toMillis() + " ms; sessions lost under the faults " + lostSessions);
            report.assertClean();
            report.assertAcquirableWithin(TTL.plusSeconds(1));
            assertThat(register).isEqualTo((long) WORKERS * CYCLES);
        } finally {
            for (EtcdMember m : ETCD.cluster().members()) {
                if (m.isPaused()) {
                    m.resume();
                }
            }
            pool.shutdownNow();
            clients.forEach(EtcdClient::close);
        }
    }

    /** A holder on a single follower freezes; the others must get the lock and its late write must fail. */
    private void staleHolderIsFencedOff(EtcdMember follower) throws Exception {
        assertThat(ETCD.cluster().leader()).as("the frozen member is a follower").isNotSameAs(follower);
        try (EtcdClient stale = client(List.of(follower.clientEndpoint()))) {
            Session session = Session.open(stale, TTL);
            checker.waiting("stale");
            HeldLock held = Mutex.of(session, LOCK).lock();
            checker.acquired("stale", held.fencingToken());
            KeyValue seen = stale.kv().get(REGISTER).orElseThrow();
            long before = acquisitions.get();
            follower.pause(); // the "GC pause": keep-alives stop, the lease expires on the leader
            checker.released("stale", held.fencingToken()); // the holder is dead as far as the others can tell
            awaitAcquisitions(before + 20);
            follower.resume();
            // Waking up, the stale holder still believes it holds the lock and tries its guarded increment.
            boolean accepted;
            try {
                accepted = stale.kv().commit(Transaction.when(held.guard(),
                        Compare.modRevision(REGISTER).equalTo(seen.modRevision()))
                        .then(Put.of(REGISTER, String.valueOf(Long.parseLong(seen.valueAsString()) + 1))))
                        .succeeded();
            } catch (EtcdException e) {
                accepted = false;
            }
            if (accepted) {
                long v = Long.parseLong(seen.valueAsString());
                checker.guardedWrite("stale", held.fencingToken(), v, v + 1);
            }
            assertThat(accepted).as("the stale holder's guarded write").isFalse();
            session.close();
        }
    }

    /**
     * Runs CYCLES guarded increments. A session that expires under the fault (keep-alives could not reach a
     * member for a whole TTL, possible on a loaded machine) is legitimate: the worker counts it, opens a new
     * session and redoes the cycle; the checker judges whether the lost holder did any harm.
     */
    private void runWorker(EtcdClient c, String name) throws Exception {
        int done = 0;
        while (done < CYCLES) {
            try (Session session = Session.open(c, TTL)) {
                Mutex mutex = Mutex.of(session, LOCK);
                for (; done < CYCLES; done++) {
                    checker.waiting(name);
                    HeldLock held;
                    try {
                        held = mutex.lock();
                    } catch (SessionExpiredException e) {
                        checker.stoppedWaiting(name);
                        throw e;
                    }
                    checker.acquired(name, held.fencingToken());
                    acquisitions.incrementAndGet();
                    try {
                        guardedIncrement(c, name, held);
                    } finally {
                        checker.released(name, held.fencingToken());
                    }
                    held.close();
                }
            } catch (SessionExpiredException | LockLostException e) {
                lostSessions.incrementAndGet();
                System.out.println("LOST " + name + " at " + System.nanoTime() / 1_000_000 + ": " + e);
            }
        }
    }

    /** The holder's guard failed: its session expired while it held the lock. */
    private static final class LockLostException extends RuntimeException {
        LockLostException(String message) {
            super(message);
        }
    }

    private void guardedIncrement(EtcdClient c, String name, HeldLock held) {
        while (true) {
            KeyValue seen;
            try {
                seen = c.kv().get(REGISTER).orElseThrow();
            } catch (EtcdException e) {
                continue; // reads are retried by the client; keep trying while holding the lock
            }
            long before = Long.parseLong(seen.valueAsString());
            Transaction txn = Transaction.when(held.guard(), Compare.modRevision(REGISTER).equalTo(seen.modRevision()))
                    .then(Put.of(REGISTER, String.valueOf(before + 1)));
            try {
                if (c.kv().commit(txn).succeeded()) {
                    checker.guardedWrite(name, held.fencingToken(), before, before + 1);
                    return;
                }
                if (!c.kv().commit(Transaction.when(held.guard())).succeeded()) {
                    throw new LockLostException(name + " lost the lock while holding it (session " + held + ")");
                }
            } catch (OutcomeUnknownException e) {
                // Under the guard nobody else writes: if the register moved from our value, it was our write.
                KeyValue now = c.kv().get(REGISTER).orElseThrow();
                if (now.modRevision() != seen.modRevision()) {
                    checker.guardedWrite(name, held.fencingToken(), before, Long.parseLong(now.valueAsString()));
                    return;
                }
            }
        }
    }

    private void awaitAcquisitions(long n) throws InterruptedException {
        await("acquisitions reached " + n).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                .until(() -> acquisitions.get() >= n);
    }

    private static EtcdClient client(List<String> endpoints) {
        return EtcdClient.builder().endpoints(endpoints).attemptTimeout(Duration.ofSeconds(1)).build();
    }
}
