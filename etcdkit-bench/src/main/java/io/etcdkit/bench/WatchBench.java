package io.etcdkit.bench;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code watch}, two measurements per client:
 * <ul>
 *   <li>{@code watch-events}: events per second to one watcher. {@code --watch-events} puts are written first
 *       (by the housekeeping client, transactions of 100); then, per round, one prefix watcher of the client under
 *       test starts from the first of their revisions and receives them all. The events are already stored, so only
 *       delivery limits the rate: etcd reading its history, the transport, decoding, the listener. Latency = the
 *       round (watch start to last event).</li>
 *   <li>{@code watch-put-to-event} and {@code watch-put}: the client under test puts at {@code --watch-rate} per
 *       second, paced by the clock (open loop), over 1,000 keys, while its own prefix watcher listens; each value
 *       carries {@link System#nanoTime()} at the send. Put-to-event latency = event arrival - send; put latency =
 *       completion callback - send. A quarter of {@code --watch-seconds} of warm-up, then {@code --watch-seconds}
 *       in {@code --slices} interleaved slices. Every event must arrive: a missing one is an error.</li>
 * </ul>
 */
final class WatchBench implements WorkloadBench {
    private static final String EVENTS_PREFIX = "bench/watch/events/";
    private static final String LATENCY_PREFIX = "bench/watch/latency/";
    private static final int LATENCY_KEYS = 1000;

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        List<Target> targets = ctx.etcdkitAndJetcd(w);
        List<Result> results = new ArrayList<>();
        results.addAll(events(w, ctx, targets));
        results.addAll(latency(w, ctx, targets));
        ctx.out().println();
        return results;
    }

    // ---- events per second to one watcher ----------------------------------------------------------------------

    private List<Result> events(Workload w, BenchContext ctx, List<Target> targets) throws Exception {
        Sizes sizes = ctx.options().sizes();
        int n = sizes.watchEvents();
        KeySpace keys = new KeySpace(EVENTS_PREFIX, n, ctx.options().valueSize());
        ctx.admin().reset(EVENTS_PREFIX);
        long first;
        try (ProgressBar.Task t = ctx.progress().start("watch: writing " + n + " events", 1, "")) {
            first = ctx.admin().preload(keys);
        }
        Map<String, List<Phase>> slices = new LinkedHashMap<>();
        try {
            for (Target t : targets) {
                replay(ctx, t, first, n, "warm-up"); // JIT
                slices.put(t.name(), new ArrayList<>());
            }
            BenchContext.interleave(targets, sizes.rounds(), (t, s) -> slices.get(t.name())
                    .add(replay(ctx, t, first, n, (s + 1) + "/" + sizes.rounds())));
        } finally {
            ctx.admin().reset(EVENTS_PREFIX);
        }
        List<Result> results = new ArrayList<>();
        for (Target t : targets) {
            Result r = Result.of(w, "watch-events", t.name(), "event", slices.get(t.name()),
                    "replay of " + n + " stored events; latency = one round");
            ctx.printResult(r);
            results.add(r);
        }
        return results;
    }

    /** One watcher from {@code first} until it has received {@code n} events. */
    private static Phase replay(BenchContext ctx, Target target, long first, int n, String round) throws Exception {
        WatchClient client = WatchClient.of(target);
        BenchContext.settle();
        CountDownLatch all = new CountDownLatch(1);
        try (ProgressBar.Task task = ctx.progress().start("watch-events / " + target.name() + " " + round, n,
                "events")) {
            AtomicLong received = new AtomicLong();
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            WatchClient.Handle h = client.watchPrefix(EVENTS_PREFIX.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    first, value -> {
                        long c = received.incrementAndGet();
                        if ((c & 1023) == 0) {
                            task.set(c);
                        }
                        if (c == n) {
                            all.countDown();
                        }
                    });
            try {
                Object failure = await(all, h, 300);
                long elapsed = System.nanoTime() - m.startNanos();
                Histogram duration = Phase.newHistogram();
                duration.recordValue(Math.min(elapsed, Phase.HIGHEST_NANOS));
                long missing = n - Math.min(n, received.get());
                return m.stop(n, missing, 0, failure == null && missing > 0 ? new IllegalStateException(missing
                        + " of " + n + " events did not arrive in 300 s") : asThrowable(failure), duration);
            } finally {
                h.close();
            }
        }
    }

    // ---- put-to-event latency at a steady rate ----------------------------------------------------------------

    private List<Result> latency(Workload w, BenchContext ctx, List<Target> targets) throws Exception {
        BenchOptions o = ctx.options();
        Sizes sizes = o.sizes();
        ctx.admin().reset(LATENCY_PREFIX);
        byte[][] keys = new byte[LATENCY_KEYS][];
        for (int i = 0; i < LATENCY_KEYS; i++) {
            keys[i] = String.format(Locale.ROOT, "%sk%04d", LATENCY_PREFIX, i).getBytes(
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        Map<String, Paced> paced = new LinkedHashMap<>();
        Map<String, List<Phase>> eventSlices = new LinkedHashMap<>();
        Map<String, List<Phase>> putSlices = new LinkedHashMap<>();
        int slices = Math.max(1, Math.min(o.slices(), sizes.watchSeconds()));
        try {
            for (Target t : targets) {
                Paced p = new Paced(WatchClient.of(t), keys, o.valueSize());
                paced.put(t.name(), p);
                p.awaitConfirmed();
                long warmupNanos = TimeUnit.SECONDS.toNanos(sizes.watchSeconds()) / 4;
                p.run(ctx, "watch-put-to-event / " + t.name() + " warm-up", sizes.watchRate(), warmupNanos);
                eventSlices.put(t.name(), new ArrayList<>());
                putSlices.put(t.name(), new ArrayList<>());
            }
            long sliceNanos = TimeUnit.SECONDS.toNanos(sizes.watchSeconds()) / slices;
            BenchContext.interleave(targets, slices, (t, s) -> {
                Paced p = paced.get(t.name());
                BenchContext.settle();
                Phase[] phases = p.run(ctx, "watch-put-to-event / " + t.name() + " " + (s + 1) + "/" + slices,
                        sizes.watchRate(), sliceNanos);
                eventSlices.get(t.name()).add(phases[0]);
                putSlices.get(t.name()).add(phases[1]);
            });
        } finally {
            paced.values().forEach(Paced::close);
            ctx.admin().reset(LATENCY_PREFIX);
        }
        List<Result> results = new ArrayList<>();
        for (Target t : targets) {
            Result puts = Result.of(w, "watch-put", t.name(), "put", putSlices.get(t.name()),
                    String.format(Locale.ROOT, "open loop at %,d puts/s; latency = send to completion",
                            sizes.watchRate()));
            Result events = Result.of(w, "watch-put-to-event", t.name(), "event", eventSlices.get(t.name()),
                    String.format(Locale.ROOT, "latency = put sent to event received; p99 event/put %.2fx",
                            events99(eventSlices.get(t.name())) / puts.latencyMicros(99)));
            ctx.printResult(events);
            ctx.printResult(puts);
            results.add(events);
            results.add(puts);
        }
        return results;
    }

    private static double events99(List<Phase> slices) {
        Histogram h = Phase.newHistogram();
        slices.forEach(p -> h.add(p.latencies()));
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e3;
    }

    /** One client's paced puts and its own prefix watcher. */
    private static final class Paced implements AutoCloseable {
        private final WatchClient client;
        private final byte[][] keys;
        private final int valueSize;
        private final Recorder eventLatency = new Recorder(Phase.HIGHEST_NANOS, 3);
        private final Recorder putLatency = new Recorder(Phase.HIGHEST_NANOS, 3);
        private final AtomicLong delivered = new AtomicLong();
        private final AtomicLong putErrors = new AtomicLong();
        private final AtomicReference<Throwable> firstError = new AtomicReference<>();
        private final WatchClient.Handle watcher;
        private long next;

        Paced(WatchClient client, byte[][] keys, int valueSize) {
            this.client = client;
            this.keys = keys;
            this.valueSize = valueSize;
            this.watcher = client.watchPrefix(LATENCY_PREFIX.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0,
                    this::onEvent);
        }

        private void onEvent(ByteBuffer value) {
            eventLatency.recordValue(OpenLoop.age(value));
            delivered.incrementAndGet();
        }

        void awaitConfirmed() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!watcher.confirmed()) {
                if (System.nanoTime() > deadline || watcher.failure() != null) {
                    throw new IllegalStateException("the watcher was not confirmed in 60 s: " + watcher.failure());
                }
                Thread.sleep(5);
            }
        }

        /**
         * Puts at {@code rate} per second for {@code nanos}, then waits (at most 30 s) for the last events. Returns
         * the events' phase (latency put-to-event, ops = events expected) and the puts' phase (same resources).
         */
        Phase[] run(BenchContext ctx, String label, int rate, long nanos) throws InterruptedException {
            int count = (int) Math.max(1, nanos * rate / 1_000_000_000L);
            eventLatency.getIntervalHistogram(); // reset
            putLatency.getIntervalHistogram();
            long deliveredBefore = delivered.get();
            long errorsBefore = putErrors.get();
            try (ProgressBar.Task task = ctx.progress().start(label, count, "puts")) {
                Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
                OpenLoop.run(count, rate, task, i -> {
                    byte[] value = OpenLoop.stampedValue(valueSize);
                    long sent = ByteBuffer.wrap(value).getLong(0);
                    client.put(keys[(int) (next++ % keys.length)], value)
                            .whenComplete((r, e) -> {
                                if (e != null) {
                                    putErrors.incrementAndGet();
                                    firstError.compareAndSet(null, e);
                                } else {
                                    putLatency.recordValue(Math.min(System.nanoTime() - sent, Phase.HIGHEST_NANOS));
                                }
                            });
                });
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (delivered.get() - deliveredBefore + putErrors.get() - errorsBefore < count
                        && System.nanoTime() < deadline && watcher.failure() == null) {
                    Thread.sleep(1);
                }
                long errors = putErrors.get() - errorsBefore;
                long missing = Math.max(0, count - errors - (delivered.get() - deliveredBefore));
                Throwable first = watcher.failure() != null ? asThrowable(watcher.failure())
                        : missing > 0 ? new IllegalStateException(missing + " events did not arrive within 30 s")
                        : firstError.get();
                Phase events = m.stop(count, missing + errors, 0, first, eventLatency.getIntervalHistogram());
                Phase puts = new Phase(count, errors, 0, firstError.get(), putLatency.getIntervalHistogram(),
                        events.used(), events.threadCpuNanos());
                return new Phase[] {events, puts};
            }
        }

        @Override
        public void close() {
            watcher.close();
        }
    }

    /** Waits for {@code done}; returns the watch's failure if it fails first, or a time-out. */
    static Object await(CountDownLatch done, WatchClient.Handle h, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.await(20, TimeUnit.MILLISECONDS)) {
            if (h.failure() != null) {
                return h.failure();
            }
            if (System.nanoTime() > deadline) {
                return "not done within " + seconds + " s";
            }
        }
        return null;
    }

    static Throwable asThrowable(Object failure) {
        return failure == null ? null : failure instanceof Throwable t ? t : new IllegalStateException(
                String.valueOf(failure));
    }
}
