package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.ReadWriteLock;
import io.etcdkit.recipes.session.Session;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A distributed read-write lock: two readers (two sessions) share it, a writer cannot enter while they read, and
 * gets it once they are done; its guard fences the write. Uses {@code examples/locks/catalog} and
 * {@code examples/catalog/version}.
 */
public final class ReadWriteLockExample {
    static final String NAME = "examples/locks/catalog";
    static final String VERSION = "examples/catalog/version";

    private ReadWriteLockExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args);
             Session reader1 = Session.open(client, Duration.ofSeconds(10));
             Session reader2 = Session.open(client, Duration.ofSeconds(10));
             Session writer = Session.open(client, Duration.ofSeconds(10))) {
            HeldLock r1 = ReadWriteLock.of(reader1, NAME).readLock().lock();
            HeldLock r2 = ReadWriteLock.of(reader2, NAME).readLock().lock(Duration.ofSeconds(10));
            out.println("two readers hold the read lock");

            Optional<HeldLock> early = ReadWriteLock.of(writer, NAME).writeLock().tryLock();
            out.println("writer while they read: " + (early.isPresent() ? "acquired" : "busy"));

            r1.close();
            r2.close();
            try (HeldLock w = ReadWriteLock.of(writer, NAME).writeLock().lock(Duration.ofSeconds(10))) {
                boolean applied = client.kv().commit(Transaction.when(w.guard())
                        .then(Put.of(VERSION, "8"))).succeeded();
                out.println("writer holds the write lock; guarded write applied: " + applied);
            }
            out.println("catalog version: " + client.kv().get(VERSION).map(KeyValue::valueAsString).orElse("-"));
            client.kv().delete(VERSION);
        }
    }
}
