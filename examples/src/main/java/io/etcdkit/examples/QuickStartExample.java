package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watcher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The README's quick start, compiled: a put, a get with a default, a put-if-absent, then a lock whose guard
 * fences a write, and a subscription's snapshot. Writes {@code config/mode}, {@code leader}, {@code reindex/state} and the lock key under
 * {@code locks/reindex/} (released at the end).
 *
 * <pre>
 * java -cp examples/target/etcdkit-examples.jar io.etcdkit.examples.QuickStartExample http://127.0.0.1:2379
 * </pre>
 */
public final class QuickStartExample {
    private QuickStartExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        String endpoints = ExampleClient.endpoints(args);
        // README, "Quick start" (the literal endpoint there is this variable here)
        try (EtcdClient client = EtcdClient.builder().endpoints(endpoints).build()) {
            client.kv().put("config/mode", "fast");
            String mode = client.kv().get("config/mode").map(KeyValue::valueAsString).orElse("default");
            boolean won = client.kv().putIfAbsent("leader", "me");
            out.println("mode: " + mode);
            out.println("won leader: " + won);

            // README, "Recipes"
            try (Session session = Session.open(client, Duration.ofSeconds(10));
                 HeldLock held = Mutex.of(session, "locks/reindex").lock()) {
                // the guard makes etcd refuse this write if the lock was lost meanwhile (e.g. after a long GC pause)
                client.kv().commit(Transaction.when(held.guard()).then(Put.of("reindex/state", "running")));
                out.println("fencing token: " + held.fencingToken());
            }
            out.println("reindex/state: " + client.kv().get("reindex/state").map(KeyValue::valueAsString)
                    .orElse("(absent)"));

            // README, "Recipes": snapshot, then live changes
            CountDownLatch snapshotDone = new CountDownLatch(1);
            try (Watcher services = client.watches().subscribe(Subscribe.prefix("services/"), event -> {
                if (event instanceof SnapshotCompleteEvent complete) {
                    out.println("services/ snapshot: " + complete.keys() + " keys at revision " + complete.revision());
                    snapshotDone.countDown();
                }
            })) {
                snapshotDone.await(10, TimeUnit.SECONDS);
            }
        }
    }
}
