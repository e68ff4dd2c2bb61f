package io.etcdkit.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code lock} (see {@link LockClient} for how each client locks), two measurements per client:
 * <ul>
 *   <li>{@code lock-uncontended}: one owner locks and unlocks, one cycle after the other, {@code --lock-ops} cycles
 *       (after warm-up runs of half as many, repeated while the JIT compiler threads use over 5 % of the CPU, at
 *       most 6) in {@code --slices} interleaved slices; latency = one lock+unlock.</li>
 *   <li>{@code lock-handoff}: a holder takes the lock, {@code --lock-waiters} waiters (each its own owner, on its own
 *       thread) queue behind it; once all are queued (their keys exist) the holder unlocks, and each waiter unlocks
 *       as soon as it has the lock ({@code --lock-settle-ms} after all are queued, the holder waits that long
 *       before unlocking). Latency = one hand-off: from the moment the previous holder started to unlock to
 *       the moment the next one holds the lock. warm-up rounds (repeated like the cycles'), then {@code --rounds}
 *       interleaved rounds per client.</li>
 * </ul>
 */
final class LockBench implements WorkloadBench {
    private static final String PREFIX = "bench/lock/";
    /** Warm-up rounds go on until the JIT has settled ({@link WarmUp}), but at most this many. */
    private static final int MAX_WARMUPS = 6;

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        List<Target> targets = ctx.etcdkitAndJetcd(w);
        BenchOptions o = ctx.options();
        Sizes sizes = o.sizes();
        ctx.admin().reset(PREFIX);
        Map<String, LockClient.Owner> holders = new LinkedHashMap<>();
        Map<String, List<LockClient.Owner>> waiters = new LinkedHashMap<>();
        Map<String, List<Phase>> uncontended = new LinkedHashMap<>();
        Map<String, List<Phase>> handoffs = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(sizes.lockWaiters(), r -> {
            Thread t = new Thread(r, "bench-lock-waiter");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Target t : targets) {
                LockClient client = LockClient.of(t);
                holders.put(t.name(), client.newOwner());
                List<LockClient.Owner> owners = new ArrayList<>();
                for (int i = 0; i < sizes.lockWaiters(); i++) {
                    owners.add(client.newOwner());
                }
                waiters.put(t.name(), owners);
                uncontended.put(t.name(), new ArrayList<>());
                handoffs.put(t.name(), new ArrayList<>());
                // lock cycles are few and slow: warm up until the JIT has settled, as the operation workloads do
                LockClient.Owner holder = holders.get(t.name());
                WarmUp.untilJitSettles(ctx.out(), "lock-uncontended / " + t.name(), MAX_WARMUPS,
                        r -> cycles(ctx, t, holder, Math.max(1, sizes.lockOps() / 2), "warm-up " + (r + 1)));
                WarmUp.untilJitSettles(ctx.out(), "lock-handoff / " + t.name(), MAX_WARMUPS,
                        r -> handoff(ctx, t, holder, owners, pool, "warm-up-" + (r + 1)));
            }
            int slices = Math.max(1, Math.min(o.slices(), sizes.lockOps()));
            BenchContext.interleave(targets, slices, (t, s) -> {
                int n = sizes.lockOps() / slices + (s < sizes.lockOps() % slices ? 1 : 0);
                BenchContext.settle();
                uncontended.get(t.name()).add(cycles(ctx, t, holders.get(t.name()), n, (s + 1) + "/" + slices));
            });
            BenchContext.interleave(targets, sizes.rounds(), (t, s) -> {
                BenchContext.settle();
                handoffs.get(t.name()).add(handoff(ctx, t, holders.get(t.name()), waiters.get(t.name()), pool,
                        (s + 1) + "/" + sizes.rounds()));
            });
        } finally {
            pool.shutdownNow();
            for (LockClient.Owner owner : holders.values()) {
                owner.close();
            }
            for (List<LockClient.Owner> owners : waiters.values()) {
                for (LockClient.Owner owner : owners) {
                    owner.close();
                }
            }
            ctx.admin().reset(PREFIX);
        }
        List<Result> results = new ArrayList<>();
        for (Target t : targets) {
            Result u = Result.of(w, "lock-uncontended", t.name(), "lock+unlock", uncontended.get(t.name()),
                    "one owner, cycle after cycle");
            Result h = Result.of(w, "lock-handoff", t.name(), "hand-off", handoffs.get(t.name()),
                    String.format(Locale.ROOT, "%d waiters queued; latency = unlock started to next holder",
                            sizes.lockWaiters()));
            ctx.printResult(u);
            ctx.printResult(h);
            results.add(u);
            results.add(h);
        }
        ctx.out().println();
        return results;
    }

    /** {@code n} lock+unlock cycles of one owner. */
    private static Phase cycles(BenchContext ctx, Target t, LockClient.Owner owner, int n, String slice)
            throws Exception {
        String name = PREFIX + "uncontended-" + t.name();
        Histogram latencies = Phase.newHistogram();
        long errors = 0;
        Throwable first = null;
        try (ProgressBar.Task task = ctx.progress().start("lock-uncontended / " + t.name() + " " + slice, n,
                "cycles")) {
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                try {
                    owner.lock(name).unlock();
                } catch (Exception e) {
                    errors++;
                    first = first == null ? e : first;
                }
                latencies.recordValue(Math.min(System.nanoTime() - t0, Phase.HIGHEST_NANOS));
                task.add(1);
            }
            return m.stop(n, errors, 0, first, latencies);
        }
    }

    /** One hand-off round: the holder locks, the waiters queue, the lock passes along the queue. */
    private static Phase handoff(BenchContext ctx, Target t, LockClient.Owner holder, List<LockClient.Owner> owners,
            ExecutorService pool, String round) throws Exception {
        long settleMillis = ctx.options().sizes().lockSettleMillis();
        String name = PREFIX + "handoff-" + t.name() + "-" + round.replace('/', '-');
        int n = owners.size();
        Histogram latencies = Phase.newHistogram();
        AtomicLong releaseStarted = new AtomicLong();
        LockClient.Held first = holder.lock(name);
        List<Future<Long>> done = new ArrayList<>();
        try (ProgressBar.Task task = ctx.progress().start("lock-handoff / " + t.name() + " " + round, n,
                "hand-offs")) {
            for (LockClient.Owner owner : owners) {
                done.add(pool.submit(() -> {
                    LockClient.Held held = owner.lock(name);
                    long handoff = System.nanoTime() - releaseStarted.get();
                    task.add(1);
                    releaseStarted.set(System.nanoTime());
                    held.unlock();
                    return handoff;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ctx.admin().count(name + "/") < n + 1) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(t.name() + ": not all " + n + " waiters queued on " + name
                            + " within 60 s");
                }
                Thread.sleep(5);
            }
            Thread.sleep(settleMillis);
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            releaseStarted.set(System.nanoTime());
            first.unlock();
            long errors = 0;
            Throwable firstError = null;
            for (Future<Long> f : done) {
                try {
                    latencies.recordValue(Math.min(f.get(120, TimeUnit.SECONDS), Phase.HIGHEST_NANOS));
                } catch (java.util.concurrent.ExecutionException e) {
                    errors++;
                    firstError = firstError == null ? e.getCause() : firstError;
                }
            }
            return m.stop(n, errors, 0, firstError, latencies);
        }
    }
}
