package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A mutex with a fencing token, and what the guard buys: holder A loses its lease (here revoked from outside, as
 * if A had been paused by a long GC past its TTL), B takes the lock, and A's late write, guarded by
 * {@link HeldLock#guard()}, is refused by etcd although A still believes it holds the lock. Uses
 * {@code examples/locks/reindex} and {@code examples/reindex/state}.
 */
public final class LockWithFencingExample {
    static final String LOCK = "examples/locks/reindex";
    static final String STATE = "examples/reindex/state";

    private LockWithFencingExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args);
             Session sessionA = Session.open(client, Duration.ofSeconds(10));
             Session sessionB = Session.open(client, Duration.ofSeconds(10))) {
            client.kv().delete(STATE);

            HeldLock a = Mutex.of(sessionA, LOCK).lock();
            out.println("A holds the lock with fencing token " + a.fencingToken());
            TxnResult first = client.kv().commit(Transaction.when(a.guard()).then(Put.of(STATE, "written by A")));
            out.println("A's guarded write applied: " + first.succeeded());

            Optional<HeldLock> notYet = Mutex.of(sessionB, LOCK).tryLock();
            out.println("B's tryLock while A holds it: " + (notYet.isPresent() ? "acquired" : "busy"));

            // A's lease is lost (simulated: revoked from outside). Its lock key vanishes with it.
            client.leases().revoke(sessionA.leaseId());
            SessionState aState = sessionA.ended().get(10, TimeUnit.SECONDS);
            out.println("A's session is now " + aState);

            try (HeldLock b = Mutex.of(sessionB, LOCK).lock(Duration.ofSeconds(10))) {
                out.println("B holds the lock with fencing token " + b.fencingToken()
                        + " (greater than A's: " + (b.fencingToken() > a.fencingToken()) + ")");

                // A wakes up and writes, still believing it holds the lock: the guard makes etcd refuse it.
                TxnResult late = client.kv().commit(Transaction.when(a.guard()).then(Put.of(STATE, "late write by A")));
                out.println("A's late guarded write applied: " + late.succeeded());

                client.kv().commit(Transaction.when(b.guard()).then(Put.of(STATE, "written by B")));
            }
            out.println("state: " + client.kv().get(STATE).map(KeyValue::valueAsString).orElse("(absent)"));
            client.kv().delete(STATE);
        }
    }
}
