package io.etcdkit.bench;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Watch measurements with etcdkit against a local 1-member etcd started by etcdkit-testing (or {@code --endpoints}):
 *
 * <ul>
 *   <li>{@code throughput}: events per second delivered to one prefix watcher while 200,000 small puts are
 *       written as fast as possible (transactions of 100 puts, 16 in flight; {@code --txn-size 1} writes single
 *       async puts, 256 in flight); timed from the first to the last event the listener receives. Writing
 *       usually limits this, so a second watcher then replays the same 200,000 events from their first revision
 *       (already stored: only the server's and the client's delivery limit it);</li>
 *   <li>{@code latency}: put-to-event latency at a steady 1,000 writes/s (open loop, paced by the clock) for
 *       20 s after 10 s of warm-up: event delivery time minus the time the put was sent (the value carries
 *       {@code System.nanoTime()} at the send), next to the put's own latency (send to completion);</li>
 *   <li>{@code watchers}: used heap per idle watcher with 100,000 watchers on distinct keys on one client, after
 *       all are confirmed ({@code nextRevision() > 0}) and {@code System.gc()}; run it in its own JVM
 *       (e.g. {@code -Xmx1g}) so nothing else is on the heap.</li>
 * </ul>
 *
 * <pre>{@code
 * java -cp etcdkit-bench/target/etcdkit-bench.jar io.etcdkit.bench.WatchMeasurements throughput,latency
 * java -Xmx1g -cp etcdkit-bench/target/etcdkit-bench.jar io.etcdkit.bench.WatchMeasurements watchers
 * }</pre>
 */
public final class WatchMeasurements {
    private static final double MIB = 1024.0 * 1024.0;

    private int events = 200_000;
    private int txnSize = 100;
    private int rate = 1_000;
    private int warmupSeconds = 10;
    private int seconds = 20;
    private int watchers = 100_000;
    private List<String> endpoints = List.of();
    private final List<String> summary = new ArrayList<>();

    private WatchMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        WatchMeasurements m = new WatchMeasurements();
        String modes = "throughput,latency";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--events" -> m.events = Integer.parseInt(args[++i]);
                case "--txn-size" -> m.txnSize = Integer.parseInt(args[++i]);
                case "--rate" -> m.rate = Integer.parseInt(args[++i]);
                case "--warmup-seconds" -> m.warmupSeconds = Integer.parseInt(args[++i]);
                case "--seconds" -> m.seconds = Integer.parseInt(args[++i]);
                case "--watchers" -> m.watchers = Integer.parseInt(args[++i]);
                case "--endpoints" -> m.endpoints = List.of(args[++i].split(","));
                case "-h", "--help" -> {
                    System.out.println("usage: WatchMeasurements [throughput,latency,watchers | all] [--events N]"
                            + " [--txn-size N] [--rate N] [--warmup-seconds N] [--seconds N] [--watchers N]"
                            + " [--endpoints URLS]");
                    return;
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    modes = a.equals("all") ? "throughput,latency,watchers" : a;
                }
            }
        }
        EtcdCluster cluster = null;
        List<String> eps = m.endpoints;
        try {
            if (eps.isEmpty()) {
                System.err.println("starting a local 1-member etcd cluster (etcdkit-testing) ...");
                cluster = EtcdCluster.builder().members(1).build();
                cluster.start();
                eps = cluster.clientEndpoints();
            }
            try (EtcdClient client = EtcdClient.builder().endpoints(eps).build()) {
                for (String mode : modes.split(",")) {
                    switch (mode) {
                        case "throughput" -> m.throughput(client);
                        case "latency" -> m.latency(client);
                        case "watchers" -> m.watchers(client);
                        default -> throw new IllegalArgumentException("unknown mode " + mode);
                    }
                }
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
        System.out.println();
        System.out.println("== summary ==");
        m.summary.forEach(System.out::println);
        System.exit(0);
    }

    // ---- a. events/s to one watcher ------------------------------------------------------------------

    private void throughput(EtcdClient client) throws Exception {
        String prefix = "bench/watch-throughput/";
        client.kv().delete(Delete.prefix(prefix));
        // warm-up round (JIT), then the measured round
        for (int round = 0; round < 2; round++) {
            boolean measured = round == 1;
            int n = measured ? events : Math.min(events, 50_000);
            AtomicLong received = new AtomicLong();
            AtomicLong first = new AtomicLong();
            AtomicLong last = new AtomicLong();
            CountDownLatch done = new CountDownLatch(1);
            Watcher w = client.watches().watch(Watch.prefix(prefix), e -> {
                if (e instanceof PutEvent) {
                    long now = System.nanoTime();
                    long c = received.incrementAndGet();
                    if (c == 1) {
                        first.set(now);
                    }
                    if (c == n) {
                        last.set(now);
                        done.countDown();
                    }
                }
            });
            awaitConfirmed(List.of(w), 30);
            Bytes value = Bytes.of(new byte[16]);
            Bytes[] keys = new Bytes[n];
            for (int i = 0; i < n; i++) {
                keys[i] = Bytes.of(prefix + String.format("%07d", i));
            }
            int batch = Math.max(1, txnSize);
            Semaphore inFlight = new Semaphore(batch == 1 ? 256 : 16);
            AtomicLong errors = new AtomicLong();
            AtomicLong firstRevision = new AtomicLong(Long.MAX_VALUE);
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i += batch) {
                inFlight.acquire();
                CompletableFuture<?> f;
                if (batch == 1) {
                    f = client.kv().putAsync(Put.of(keys[i], value));
                } else {
                    List<Op> ops = new ArrayList<>(batch);
                    for (int j = i; j < Math.min(n, i + batch); j++) {
                        ops.add(Put.of(keys[j], value));
                    }
                    f = client.kv().commitAsync(Transaction.always(ops.toArray(Op[]::new)));
                }
                f.whenComplete((r, t) -> {
                    if (t != null) {
                        errors.incrementAndGet();
                    } else {
                        long rev = r instanceof TxnResult tr ? tr.revision() : ((PutResult) r).revision();
                        firstRevision.accumulateAndGet(rev, Math::min);
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(batch == 1 ? 256 : 16);
            long written = System.nanoTime();
            boolean all = done.await(120, TimeUnit.SECONDS);
            w.close();
            double writeS = (written - t0) / 1e9;
            double deliverS = (last.get() - first.get()) / 1e9;
            String line = String.format(Locale.ROOT,
                    "a. throughput%s: %,d puts (%s) written in %.2f s (%,.0f puts/s); one prefix watcher received"
                            + " %,d events, first->last %.2f s = %,.0f events/s; write start->last event %.2f s;"
                            + " write errors %d%s",
                    measured ? "" : " (warm-up)", n, batch == 1 ? "single async puts, 256 in flight"
                            : "txns of " + batch + " puts, 16 in flight",
                    writeS, n / writeS, received.get(), deliverS, (n - 1) / deliverS,
                    (last.get() - t0) / 1e9, errors.get(), all ? "" : " INCOMPLETE");
            System.out.println(line);
            if (measured) {
                summary.add(line);
                replay(client, prefix, n, firstRevision.get());
            }
            client.kv().delete(Delete.prefix(prefix));
        }
    }

    /** A second watcher from the first written revision: the events are already stored, so only delivery limits. */
    private void replay(EtcdClient client, String prefix, int n, long fromRevision) throws Exception {
        AtomicLong received = new AtomicLong();
        AtomicLong first = new AtomicLong();
        AtomicLong last = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        long t0 = System.nanoTime();
        Watcher w = client.watches().watch(Watch.prefix(prefix).fromRevision(fromRevision), e -> {
            if (e instanceof PutEvent) {
                long now = System.nanoTime();
                long c = received.incrementAndGet();
                if (c == 1) {
                    first.set(now);
                }
                if (c == n) {
                    last.set(now);
                    done.countDown();
                }
            }
        });
        boolean all = done.await(120, TimeUnit.SECONDS);
        w.close();
        double deliverS = (last.get() - first.get()) / 1e9;
        String line = String.format(Locale.ROOT,
                "a. replay: a second prefix watcher from revision %d (the %,d events already stored) received %,d"
                        + " events, first->last %.2f s = %,.0f events/s (watch start->last %.2f s)%s",
                fromRevision, n, received.get(), deliverS, (n - 1) / deliverS, (last.get() - t0) / 1e9,
                all ? "" : " INCOMPLETE");
        System.out.println(line);
        summary.add(line);
    }

    // ---- b. put-to-event latency at a steady rate ----------------------------------------------------

    private void latency(EtcdClient client) throws Exception {
        String prefix = "bench/watch-latency/";
        client.kv().delete(Delete.prefix(prefix));
        Recorder eventLatency = new Recorder(3);
        Recorder putLatency = new Recorder(3);
        AtomicLong delivered = new AtomicLong();
        Watcher w = client.watches().watch(Watch.prefix(prefix), e -> {
            if (e instanceof PutEvent p) {
                long now = System.nanoTime();
                long sent = p.kv().value().asReadOnlyByteBuffer().getLong();
                eventLatency.recordValue(Math.max(0, (now - sent) / 1000));
                delivered.incrementAndGet();
            }
        });
        awaitConfirmed(List.of(w), 30);
        int keySpace = 1000;
        Bytes[] keys = new Bytes[keySpace];
        for (int i = 0; i < keySpace; i++) {
            keys[i] = Bytes.of(prefix + String.format("%04d", i));
        }
        long interval = 1_000_000_000L / rate;
        AtomicLong errors = new AtomicLong();
        Histogram events = null;
        Histogram puts = null;
        long measuredSent = 0;
        long deliveredAtStart = 0;
        for (int phase = 0; phase < 2; phase++) {
            boolean measured = phase == 1;
            int count = rate * (measured ? seconds : warmupSeconds);
            eventLatency.getIntervalHistogram(); // reset
            putLatency.getIntervalHistogram();
            deliveredAtStart = delivered.get();
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                long due = start + i * interval;
                long wait;
                while ((wait = due - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                long sent = System.nanoTime();
                Bytes value = Bytes.of(ByteBuffer.allocate(16).putLong(0, sent));
                client.kv().putAsync(Put.of(keys[i % keySpace], value)).whenComplete((r, t) -> {
                    if (t != null) {
                        errors.incrementAndGet();
                    } else {
                        putLatency.recordValue(Math.max(0, (System.nanoTime() - sent) / 1000));
                    }
                });
            }
            long elapsed = System.nanoTime() - start;
            // let the last events arrive
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (delivered.get() - deliveredAtStart < count && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(200);
            Histogram e = eventLatency.getIntervalHistogram();
            Histogram p = putLatency.getIntervalHistogram();
            System.out.printf(Locale.ROOT, "b. latency %s: %,d puts at %,.0f/s (target %,d/s), %,d events%n",
                    measured ? "measured" : "warm-up", count, count / (elapsed / 1e9), rate,
                    delivered.get() - deliveredAtStart);
            if (measured) {
                events = e;
                puts = p;
                measuredSent = count;
            }
        }
        w.close();
        client.kv().delete(Delete.prefix(prefix));
        String hdr = String.format(Locale.ROOT, "b. %-22s %8s %8s %8s %8s %8s %8s", "latency (µs)", "count",
                "p50", "p99", "p99.9", "max", "mean");
        String ev = row("put-to-event", events);
        String pu = row("put (send->complete)", puts);
        double ratio = (double) events.getValueAtPercentile(99) / puts.getValueAtPercentile(99);
        String r = String.format(Locale.ROOT,
                "b. at %,d writes/s for %d s (after %d s warm-up): p99 put-to-event / p99 put = %.2fx (target <= 2x:"
                        + " %s); p50 ratio %.2fx; puts sent %,d, events %,d, put errors %d",
                rate, seconds, warmupSeconds, ratio, ratio <= 2.0 ? "met" : "NOT met",
                (double) events.getValueAtPercentile(50) / puts.getValueAtPercentile(50), measuredSent,
                events.getTotalCount(), errors.get());
        for (String s : List.of(hdr, ev, pu, r)) {
            System.out.println(s);
            summary.add(s);
        }
    }

    private static String row(String name, Histogram h) {
        return String.format(Locale.ROOT, "b. %-22s %8d %8d %8d %8d %8d %8.0f", name, h.getTotalCount(),
                h.getValueAtPercentile(50), h.getValueAtPercentile(99), h.getValueAtPercentile(99.9),
                h.getMaxValue(), h.getMean());
    }

    // ---- c. heap per idle watcher --------------------------------------------------------------------

    private void watchers(EtcdClient client) throws Exception {
        String prefix = "bench/watchers/";
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        // one watcher first, so the watch stream and its classes exist before the baseline
        AtomicLong seen = new AtomicLong();
        Watcher probe = client.watches().watch(Watch.key(prefix + "probe"), e -> seen.incrementAndGet());
        awaitConfirmed(List.of(probe), 30);
        probe.close();
        long before = usedAfterGc(mem);
        long t0 = System.nanoTime();
        Watcher[] ws = new Watcher[watchers];
        for (int i = 0; i < watchers; i++) {
            ws[i] = client.watches().watch(Watch.key(prefix + String.format("%06d", i)), e -> {
                if (e instanceof PutEvent) {
                    seen.incrementAndGet();
                }
            });
        }
        long created = System.nanoTime();
        boolean all = awaitConfirmed(List.of(ws), 300);
        long confirmed = System.nanoTime();
        long after = usedAfterGc(mem);
        long committed = mem.getHeapMemoryUsage().getCommitted();
        long max = mem.getHeapMemoryUsage().getMax();
        // the watchers work: write 100 of the keys and count the events
        for (int i = 0; i < 100; i++) {
            client.kv().put(prefix + String.format("%06d", i * (watchers / 100)), "x");
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (seen.get() < 100 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        double per = (after - before) / (double) watchers;
        String line1 = String.format(Locale.ROOT,
                "c. %,d idle watchers on one client: created in %.2f s, all confirmed %s after %.2f s;"
                        + " used heap after GC %.1f MiB before -> %.1f MiB after: %,.0f bytes per watcher",
                watchers, (created - t0) / 1e9, all ? "(nextRevision() > 0)" : "NOT ALL", (confirmed - t0) / 1e9,
                before / MIB, after / MIB, per);
        String line2 = String.format(Locale.ROOT,
                "c. total used heap with %,d watchers %.1f MiB (committed %.1f MiB, -Xmx %.0f MiB): < 512 MiB %s;"
                        + " 100 test puts delivered %d events",
                watchers, after / MIB, committed / MIB, max / MIB, after < 512 * MIB ? "met" : "NOT met",
                seen.get());
        for (String s : List.of(line1, line2)) {
            System.out.println(s);
            summary.add(s);
        }
        for (Watcher w : ws) {
            w.close();
        }
        client.kv().delete(Delete.prefix(prefix));
    }

    private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return mem.getHeapMemoryUsage().getUsed();
    }

    private static boolean awaitConfirmed(List<Watcher> ws, int timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int from = 0;
        while (from < ws.size()) {
            if (ws.get(from).nextRevision() > 0) {
                from++;
            } else if (System.nanoTime() > deadline) {
                return false;
            } else {
                Thread.sleep(5);
            }
        }
        return true;
    }
}
