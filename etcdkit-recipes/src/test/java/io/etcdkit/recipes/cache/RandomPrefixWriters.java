package io.etcdkit.recipes.cache;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Threads that write at random under a prefix until closed: puts, deletes and three-key transactions over a fixed
 * key space. Failures (members killed, outcome unknown) are counted, not fatal: a checker compares what the store
 * ends up with. {@link #pause()} holds every writer between two operations, for quiescent checkpoints.
 */
final class RandomPrefixWriters implements AutoCloseable {
    private final EtcdClient client;
    private final String prefix;
    private final int keys;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger busy = new AtomicInteger();
    private final Map<String, Long> failures = new ConcurrentHashMap<>();
    private volatile boolean paused;
    private volatile boolean stopped;

    RandomPrefixWriters(EtcdClient client, String prefix, int keys, int writers, long seed) {
        this.client = client;
        this.prefix = prefix;
        this.keys = keys;
        for (int w = 0; w < writers; w++) {
            Random random = new Random(seed + w);
            String name = "w" + w;
            Thread t = new Thread(() -> run(random, name), "random-writer-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    long acknowledged() {
        return acknowledged.get();
    }

    long failed() {
        return failed.get();
    }

    /** Failure counts by exception type. */
    Map<String, Long> failures() {
        return Map.copyOf(failures);
    }

    /** Waits until {@code more} further operations are acknowledged; false on timeout. */
    boolean awaitMore(long more, Duration timeout) throws InterruptedException {
        long target = acknowledged.get() + more;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (acknowledged.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** Holds every writer after its current operation; returns when none is inside one. */
    void pause() throws InterruptedException {
        paused = true;
        while (busy.get() > 0) {
            Thread.sleep(5);
        }
    }

    void resume() {
        paused = false;
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    private void run(Random random, String name) {
        long n = 0;
        while (!stopped) {
            if (paused) {
                sleep(5);
                continue;
            }
            busy.incrementAndGet();
            try {
                if (paused) {
                    continue;
                }
                writeOnce(random, name + "-" + n++);
                acknowledged.incrementAndGet();
            } catch (EtcdException e) {
                failed.incrementAndGet();
                failures.merge(e.getClass().getSimpleName(), 1L, Long::sum);
                sleep(20); // a member is down: do not spin
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    private void writeOnce(Random random, String value) {
        int dice = random.nextInt(100);
        if (dice < 60) {
            client.kv().put(key(random), value);
        } else if (dice < 85) {
            client.kv().delete(key(random));
        } else {
            Set<String> chosen = new LinkedHashSet<>();
            while (chosen.size() < 3) {
                chosen.add(key(random));
            }
            List<Op> ops = new ArrayList<>();
            for (String k : chosen) {
                ops.add(random.nextInt(4) == 0 ? Delete.key(k) : Put.of(k, value));
            }
            client.kv().commit(Transaction.always(ops.toArray(new Op[0])));
        }
    }

    private String key(Random random) {
        return prefix + String.format("k%03d", random.nextInt(keys));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
