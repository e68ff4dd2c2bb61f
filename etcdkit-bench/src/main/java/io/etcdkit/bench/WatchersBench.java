package io.etcdkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code watchers}: many idle watchers on one client, one client after the other (not interleaved: the heap is
 * measured). Per client: used heap after {@code System.gc()}; {@code --watchers} watchers on distinct keys, created
 * as fast as the client takes them; wait until the server has confirmed every one; used heap after GC again: the
 * difference / watchers is the heap per watcher (it includes the bench's own per-watcher handle and listener, a few
 * dozen bytes). Then, with all of them watching, the client puts at {@code --watch-rate} per second to random
 * watched keys for half of {@code --watch-seconds}: put-to-event latency (each value carries its send time). All
 * watchers are then closed. Throughput = watchers created and confirmed per second; CPU per watcher over creation.
 */
final class WatchersBench implements WorkloadBench {
    private static final String PREFIX = "bench/watchers/";
    private static final double MIB = 1024.0 * 1024.0;

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        List<Result> results = new ArrayList<>();
        ctx.admin().reset(PREFIX);
        try {
            for (Target t : ctx.etcdkitAndJetcd(w)) {
                int n = t instanceof JetcdTarget ? ctx.options().sizes().jetcdWatchers()
                        : ctx.options().sizes().watchers();
                Result r = measure(w, ctx, t, n);
                ctx.printResult(r);
                results.add(r);
                ctx.admin().reset(PREFIX);
            }
        } finally {
            ctx.admin().reset(PREFIX);
        }
        ctx.out().println();
        return results;
    }

    private static Result measure(Workload w, BenchContext ctx, Target target, int n) throws Exception {
        WatchClient client = WatchClient.of(target);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            keys[i] = String.format(Locale.ROOT, "%sk%07d", PREFIX, i).getBytes(StandardCharsets.UTF_8);
        }
        Recorder latency = new Recorder(Phase.HIGHEST_NANOS, 3);
        AtomicLong delivered = new AtomicLong();
        WatchClient.PutListener listener = value -> {
            latency.recordValue(OpenLoop.age(value));
            delivered.incrementAndGet();
        };
        // one watcher first, so that the client's watch machinery exists before the baseline
        WatchClient.Handle probe = client.watchKey((PREFIX + "probe").getBytes(StandardCharsets.UTF_8), listener);
        awaitConfirmed(ctx, List.of(probe), "probe", 60);
        probe.close();
        long before = usedAfterGc(memory);
        List<WatchClient.Handle> handles = new ArrayList<>(n);
        Phase created;
        Object failure;
        try {
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            try (ProgressBar.Task task = ctx.progress().start("watchers / " + target.name() + " creating", n,
                    "watchers")) {
                for (int i = 0; i < n; i++) {
                    handles.add(client.watchKey(keys[i], listener));
                    task.add(1);
                }
            }
            failure = awaitConfirmed(ctx, handles, target.name(), 600);
            created = m.stop(n, failure == null ? 0 : 1, 0, WatchBench.asThrowable(failure), Phase.newHistogram());
            long after = usedAfterGc(memory);
            // all watching: put to random watched keys at a steady rate
            Sizes sizes = ctx.options().sizes();
            int count = Math.max(1, sizes.watchRate() * sizes.watchSeconds() / 2);
            latency.getIntervalHistogram();
            long deliveredBefore = delivered.get();
            AtomicLong putErrors = new AtomicLong();
            AtomicReference<Throwable> putError = new AtomicReference<>();
            Random random = new Random(7);
            try (ProgressBar.Task task = ctx.progress().start("watchers / " + target.name() + " put-to-event", count,
                    "puts")) {
                OpenLoop.run(count, sizes.watchRate(), task, i -> client.put(keys[random.nextInt(n)],
                        OpenLoop.stampedValue(ctx.options().valueSize())).whenComplete((r, e) -> {
                            if (e != null) {
                                putErrors.incrementAndGet();
                                putError.compareAndSet(null, e);
                            }
                        }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (delivered.get() - deliveredBefore + putErrors.get() < count && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            long missing = Math.max(0, count - putErrors.get() - (delivered.get() - deliveredBefore));
            Histogram events = latency.getIntervalHistogram();
            Throwable first = created.firstError() != null ? created.firstError() : putError.get() != null
                    ? putError.get() : missing > 0 ? new IllegalStateException(missing + " of " + count
                    + " events did not arrive within 30 s") : null;
            Phase phase = new Phase(n, created.errors() + putErrors.get() + missing, 0, first, events, created.used(),
                    created.threadCpuNanos());
            double perWatcher = (after - before) / (double) n;
            String note = String.format(Locale.ROOT, "heap %,.0f B/watcher (%.1f MiB for %,d; %.1f MiB used in all);"
                    + " latency = put-to-event with all watching, %,d puts at %,d/s", perWatcher,
                    (after - before) / MIB, n, after / MIB, count, sizes.watchRate());
            return Result.of(w, w.id(), target.name(), "watcher", List.of(phase), note);
        } finally {
            try (ProgressBar.Task task = ctx.progress().start("watchers / " + target.name() + " closing", n,
                    "watchers")) {
                for (WatchClient.Handle h : handles) {
                    h.close();
                    task.add(1);
                }
            }
        }
    }

    /** Waits until every handle is confirmed; returns null, or the first failure, or a time-out message. */
    private static Object awaitConfirmed(BenchContext ctx, List<WatchClient.Handle> handles, String who, int seconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (ProgressBar.Task task = ctx.progress().start("watchers / " + who + " confirmed", handles.size(),
                "watchers")) {
            for (int i = 0; i < handles.size(); ) {
                WatchClient.Handle h = handles.get(i);
                if (h.failure() != null) {
                    return h.failure();
                }
                if (h.confirmed()) {
                    i++;
                    task.set(i);
                } else if (System.nanoTime() > deadline) {
                    return (handles.size() - i) + " of " + handles.size() + " watchers not confirmed in " + seconds
                            + " s";
                } else {
                    Thread.sleep(5);
                }
            }
        }
        return null;
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
