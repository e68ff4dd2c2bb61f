package io.etcdkit.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code subscribe}: snapshot-then-watch of a prefix holding {@code --subscribe-keys} keys of
 * {@code --value-size} bytes (see {@link WatchClient#subscribe} for how each client does it). Per round: subscribe,
 * count the snapshot's keys until the snapshot is complete (timed: latency = one snapshot, throughput = keys per
 * second), then put one more key under the prefix and wait for its live event, so the watch after the snapshot is
 * checked too. Warm-up rounds per client until the JIT has settled, then {@code --rounds} interleaved rounds.
 */
final class SubscribeBench implements WorkloadBench {
    private static final String PREFIX = "bench/subscribe/";
    /** Warm-up rounds go on until the JIT has settled ({@link WarmUp}), but at most this many. */
    private static final int MAX_WARMUPS = 8;

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        List<Target> targets = ctx.etcdkitAndJetcd(w);
        BenchOptions o = ctx.options();
        int n = o.sizes().subscribeKeys();
        KeySpace keys = new KeySpace(PREFIX + "k/", n, o.valueSize());
        ctx.admin().reset(PREFIX);
        Map<String, List<Phase>> rounds = new LinkedHashMap<>();
        try {
            try (ProgressBar.Task t = ctx.progress().start("subscribe: writing " + n + " keys", 1, "")) {
                ctx.admin().preload(keys);
            }
            for (Target t : targets) {
                rounds.put(t.name(), new ArrayList<>());
                WarmUp.untilJitSettles(ctx.out(), "subscribe / " + t.name(), MAX_WARMUPS, r -> round(ctx, t, n, "warm-up " + (r + 1)));
            }
            BenchContext.interleave(targets, o.sizes().rounds(), (t, s) -> rounds.get(t.name())
                    .add(round(ctx, t, n, (s + 1) + "/" + o.sizes().rounds())));
        } finally {
            ctx.admin().reset(PREFIX);
        }
        List<Result> results = new ArrayList<>();
        for (Target t : targets) {
            String how = t instanceof EtcdkitTarget ? "watches().subscribe" : "paged gets at one revision, then watch";
            Result r = Result.of(w, w.id(), t.name(), "key", rounds.get(t.name()), String.format(Locale.ROOT,
                    "%s; latency = snapshot of %,d keys; then one live event checked", how, n));
            ctx.printResult(r);
            results.add(r);
        }
        ctx.out().println();
        return results;
    }

    private static Phase round(BenchContext ctx, Target t, int n, String round) throws Exception {
        WatchClient client = WatchClient.of(t);
        BenchContext.settle();
        AtomicLong received = new AtomicLong();
        AtomicLong snapshotKeys = new AtomicLong(-1);
        CountDownLatch snapshot = new CountDownLatch(1);
        String liveKey = PREFIX + "live-" + t.name() + "-" + round.replace('/', '-');
        Phase phase;
        long errors = 0;
        Throwable first = null;
        try (ProgressBar.Task task = ctx.progress().start("subscribe / " + t.name() + " " + round, n, "keys")) {
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            WatchClient.Handle h = client.subscribe(PREFIX.getBytes(StandardCharsets.UTF_8), value -> {
                long c = received.incrementAndGet();
                if ((c & 1023) == 0) {
                    task.set(c);
                }
            }, keys -> {
                snapshotKeys.set(keys);
                snapshot.countDown();
            });
            try {
                Object failure = WatchBench.await(snapshot, h, 300);
                Histogram latency = Phase.newHistogram();
                latency.recordValue(Math.min(System.nanoTime() - m.startNanos(), Phase.HIGHEST_NANOS));
                phase = m.stop(n, 0, 0, null, latency);
                if (failure != null) {
                    errors++;
                    first = WatchBench.asThrowable(failure);
                } else if (snapshotKeys.get() != n || received.get() != n) {
                    errors++;
                    first = new IllegalStateException("the snapshot said " + snapshotKeys.get() + " keys and delivered "
                            + received.get() + "; " + n + " are there");
                } else {
                    // the live phase: one more key must arrive as an event
                    ctx.admin().put(liveKey, new byte[8]);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    while (received.get() < n + 1 && System.nanoTime() < deadline && h.failure() == null) {
                        Thread.sleep(1);
                    }
                    if (received.get() != n + 1) {
                        errors++;
                        first = new IllegalStateException("after the snapshot, a put under the prefix was not delivered"
                                + " within 30 s (" + received.get() + " events, " + h.failure() + ")");
                    }
                }
            } finally {
                h.close();
                ctx.admin().delete(liveKey);
            }
        }
        return new Phase(phase.ops(), errors, 0, first, phase.latencies(), phase.used(), phase.threadCpuNanos());
    }
}
