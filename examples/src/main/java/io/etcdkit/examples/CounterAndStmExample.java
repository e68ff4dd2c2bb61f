package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.atomic.AtomicCounter;
import io.etcdkit.recipes.stm.Isolation;
import io.etcdkit.recipes.stm.Stm;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A shared counter updated from several threads without losing an increment, and an STM transaction that moves
 * money between two accounts, re-run by etcdkit when another writer got there first. Uses the prefix
 * {@code examples/stm/} and the key {@code examples/counter/hits} (with its marker {@code .../hits/.last-op}).
 */
public final class CounterAndStmExample {
    static final String COUNTER = "examples/counter/hits";
    static final String ACCOUNTS = "examples/stm/";

    private CounterAndStmExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            AtomicCounter hits = AtomicCounter.of(client, COUNTER);
            hits.set(0);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    workers.add(pool.submit(() -> {
                        for (int i = 0; i < 25; i++) {
                            hits.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> w : workers) {
                    w.get();
                }
            } finally {
                pool.shutdown();
            }
            out.println("hits after 4 x 25 concurrent increments: " + hits.get());
            out.println("compareAndSet(100, 0): " + hits.compareAndSet(100, 0) + ", now " + hits.get());

            client.kv().deletePrefix(ACCOUNTS);
            client.kv().put(ACCOUNTS + "alice", "100");
            client.kv().put(ACCOUNTS + "bob", "20");
            Stm stm = Stm.of(client).isolation(Isolation.SERIALIZABLE_SNAPSHOT);
            ExecutorService transfers = Executors.newFixedThreadPool(2);
            try {
                Future<?> a = transfers.submit(() -> transfer(stm, "alice", "bob", 10));
                Future<?> b = transfers.submit(() -> transfer(stm, "bob", "alice", 5));
                a.get();
                b.get();
            } finally {
                transfers.shutdown();
            }
            long alice = Codecs.longs().decode(client.kv().get(ACCOUNTS + "alice").orElseThrow().value());
            long bob = Codecs.longs().decode(client.kv().get(ACCOUNTS + "bob").orElseThrow().value());
            out.println("after two concurrent transfers: alice=" + alice + " bob=" + bob + " total=" + (alice + bob));
            client.kv().deletePrefix(ACCOUNTS);
            client.kv().deletePrefix(COUNTER);
        }
    }

    /** Moves {@code amount}; the function may run more than once, so it only reads and writes through txn. */
    static Long transfer(Stm stm, String from, String to, long amount) {
        return stm.run(txn -> {
            long source = txn.get(ACCOUNTS + from, Codecs.longs()).orElse(0L);
            long target = txn.get(ACCOUNTS + to, Codecs.longs()).orElse(0L);
            if (source < amount) {
                throw new IllegalStateException(from + " has only " + source); // aborts: nothing written
            }
            txn.put(ACCOUNTS + from, source - amount, Codecs.longs());
            txn.put(ACCOUNTS + to, target + amount, Codecs.longs());
            return source - amount;
        });
    }
}
