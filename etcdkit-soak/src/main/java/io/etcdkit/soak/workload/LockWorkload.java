package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.soak.Outcome;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Verdict;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.testing.check.FencingChecker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Locks with fencing: {@value #LOCKERS} lockers, each on its own client and session (TTL {@code 5 s}), take a
 * {@link Mutex} and increment a counter register in a transaction guarded by the lock ({@link HeldLock#guard()})
 * and by the register's mod revision. Each accepted increment also writes {@code writes/<count>} = holder and
 * token in the same transaction: that log, read at the end, is the exact list of accepted writes even when a
 * holder never learned the outcome of its own. Judged by {@link FencingChecker}: 0 writes by a stale holder, no
 * increment lost, no token reused.
 */
public final class LockWorkload extends AbstractWorkload {
    static final int LOCKERS = 4;
    static final Duration TTL = Duration.ofSeconds(5);
    private static final String LOCK = "soak/lock/mutex";
    private static final String REGISTER = "soak/lock/register";
    private static final String WRITES = "soak/lock/writes/";

    private final FencingChecker checker = new FencingChecker();
    private EtcdClient admin;

    /**
     * Creates the workload.
     *
     * @param clients where its clients connect
     * @param seed the run's seed
     */
    public LockWorkload(SoakClients clients, long seed) {
        super("locks", clients, seed);
    }

    @Override
    public void start() {
        admin = openClient();
        admin.kv().put(REGISTER, encode(0, "init", 0));
        for (int i = 0; i < LOCKERS; i++) {
            Locker locker = new Locker("locker-" + i, openClient(), new Random(seed + i));
            threads.spawn(locker.name, locker::cycle);
        }
    }

    /** One contender with its own client; opens a new session whenever the last one ended. */
    private final class Locker {
        final String name;
        final EtcdClient client;
        final Random random;
        final SessionKeeper session;

        Locker(String name, EtcdClient client, Random random) {
            this.name = name;
            this.client = client;
            this.random = random;
            this.session = new SessionKeeper(client, TTL);
        }

        void cycle() throws InterruptedException {
            long t0 = System.nanoTime();
            try {
                Session current = session.current();
                checker.waiting(name);
                HeldLock held;
                try {
                    held = Mutex.of(current, LOCK).lock(Duration.ofSeconds(10));
                } catch (EtcdException e) {
                    checker.stoppedWaiting(name);
                    throw e;
                }
                checker.acquired(name, held.fencingToken());
                boolean accepted;
                try {
                    accepted = guardedIncrement(held);
                    WorkloadThreads.pause(random.nextInt(20)); // work while holding the lock
                } finally {
                    checker.released(name, held.fencingToken());
                    try {
                        held.close();
                    } catch (EtcdException e) {
                        // released with the session at the latest
                    }
                }
                if (accepted || !threads.stopping()) { // a cycle cut short by the end of the run is no failure
                    log.record(t0, accepted ? Outcome.OK : Outcome.FAILED);
                }
            } catch (EtcdException e) {
                log.record(t0, Outcome.FAILED); // the lock (or the session) could not be had: nothing written
                WorkloadThreads.pause(100);
            }
        }

        /** Increments the register while holding the lock; false if the lock was lost before a write got in. */
        boolean guardedIncrement(HeldLock held) {
            String intended = null;
            while (!threads.stopping()) {
                KeyValue seen;
                try {
                    seen = client.kv().get(REGISTER).orElseThrow();
                } catch (EtcdException e) {
                    if (session.ended()) {
                        return false;
                    }
                    continue;
                }
                if (seen.valueAsString().equals(intended)) {
                    return true; // the earlier try whose outcome was unknown got in
                }
                long before = count(seen.valueAsString());
                intended = encode(before + 1, name, held.fencingToken());
                Transaction txn = Transaction.when(held.guard(), Compare.modRevision(REGISTER).equalTo(seen.modRevision()))
                        .then(Put.of(REGISTER, intended), Put.of(WRITES + String.format("%09d", before + 1), intended));
                try {
                    if (client.kv().commit(txn).succeeded()) {
                        return true;
                    }
                    if (!client.kv().commit(Transaction.when(held.guard())).succeeded()) {
                        return false; // the lock was lost (session expired): fenced off
                    }
                } catch (EtcdException e) {
                    if (session.ended()) {
                        return false;
                    }
                    // outcome unknown or refused: the next read tells
                }
            }
            return false;
        }
    }

    static String encode(long count, String holder, long token) {
        return count + "|" + holder + "|" + token;
    }

    static long count(String value) {
        return Long.parseLong(value.substring(0, value.indexOf('|')));
    }

    @Override
    public Verdict check(Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        KeyValue register = Retry.untilDone(deadline, () -> admin.kv().get(REGISTER)).orElseThrow();
        List<KeyValue> writes = Retry.untilDone(deadline,
                () -> admin.kv().range(Range.prefix(WRITES).atRevision(register.modRevision())).kvs());
        List<String> details = new ArrayList<>();
        for (KeyValue w : writes) {
            String[] parts = w.valueAsString().split("\\|");
            long count = Long.parseLong(parts[0]);
            checker.guardedWrite(parts[1], Long.parseLong(parts[2]), count - 1, count);
            if (w.version() != 1) {
                details.add("lost increment: " + w.keyAsString() + " was written " + w.version()
                        + " times (two writes accepted at the same register value), last by " + w.valueAsString());
            }
        }
        FencingChecker.Report report = checker.check(count(register.valueAsString()));
        long violations = details.size() + describe(report, threads, details);
        return new Verdict(name(), "FencingChecker", violations, report.summary() + "; longest wait with the lock free "
                + checker.acquisitionGaps().toMillis() + " ms", details);
    }
}
