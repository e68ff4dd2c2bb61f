package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcdkit.EtcdClient;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.workqueue.Claim;
import io.etcdkit.recipes.workqueue.NewItem;
import io.etcdkit.recipes.workqueue.WorkConsumer;
import io.etcdkit.recipes.workqueue.WorkQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code work-queue}: {@code --work-items} items (default 10,000) through a queue, {@value #PRODUCERS} producers adding while
 * {@value #CONSUMERS} consumers take them, end to end (first add to last item done). Two clients:
 * <ul>
 *   <li>etcdkit: the recipes' {@link WorkQueue} — producers add in batches of {@value #ADD_BATCH}
 *       ({@link WorkQueue#addAll}, one transaction each), claims under each consumer's session lease (batches of
 *       up to {@value #CLAIM_BATCH}, one transaction), fenced {@code ackAll}; latency = claim returned to ack
 *       returned; wake-ups = the listener SPI's {@code queueWaiterWoken} per item;</li>
 *   <li>jetcd: the naive queue a user writes on jetcd — items are keys under a prefix; a consumer reads the first
 *       16 keys, picks one at random and claims it with a delete guarded by its mod revision (a lost race reads
 *       again; an empty read sleeps 10 ms, then polls again). No lease, no ack: an item is gone once claimed (at
 *       most once). Latency = poll started to claim won; "wake-ups" = reads per item.</li>
 * </ul>
 * etcd CPU per item is the server's CPU over the run divided by the items; reads and writes per item count the
 * calls each client made (etcdkit through the listener SPI's {@code callStarted}, a transaction with writes is a
 * write).
 */
final class WorkQueueBench implements WorkloadBench {
    static final int PRODUCERS = 4;
    static final int CONSUMERS = 8;
    /** Items per {@link WorkConsumer#claimBatch} (and {@link WorkConsumer#ackAll}) of an etcdkit consumer. */
    static final int CLAIM_BATCH = 16;
    /** Items per {@link WorkQueue#addAll} of an etcdkit producer. */
    static final int ADD_BATCH = WorkQueue.MAX_ADD_BATCH;
    private static final String NAIVE_PREFIX = "bench/naive-queue/";

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        List<Result> results = new ArrayList<>();
        int items = ctx.options().sizes().workItems();
        for (Target t : ctx.etcdkitAndJetcd(w)) {
            BenchContext.settle();
            AtomicLong wakeups = new AtomicLong();
            AtomicLong reads = new AtomicLong();
            AtomicLong writes = new AtomicLong();
            Phase phase = t instanceof EtcdkitTarget e ? etcdkit(ctx, e, wakeups, reads, writes, items)
                    : naive(ctx, (JetcdTarget) t, wakeups, reads, writes, items);
            Result r = Result.of(w, "work-queue", t.name(), "item", List.of(phase), String.format(Locale.ROOT,
                    "%d producers, %d consumers; %s %.2f, reads %.2f, writes %.2f per item", PRODUCERS, CONSUMERS,
                    t instanceof EtcdkitTarget ? "wake-ups" : "polls", wakeups.get() / (double) items,
                    reads.get() / (double) items, writes.get() / (double) items));
            ctx.printResult(r);
            results.add(r);
        }
        ctx.out().println();
        return results;
    }

    private static Phase etcdkit(BenchContext ctx, EtcdkitTarget target, AtomicLong wakeups, AtomicLong reads,
            AtomicLong writes, int items) throws Exception {
        String name = "bench-" + Long.toHexString(System.nanoTime());
        EtcdListener counter = new EtcdListener() {
            @Override
            public void queueWaiterWoken(String queue) {
                wakeups.incrementAndGet();
            }

            @Override
            public CallListener callStarted(CallInfo call) {
                (call.write() ? writes : reads).incrementAndGet();
                return CallListener.NONE;
            }
        };
        Histogram latencies = Phase.newHistogram();
        AtomicInteger done = new AtomicInteger();
        AtomicLong errors = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        try (EtcdClient client = EtcdClient.builder().endpoints(target.endpoints()).listener(counter).build();
                WorkQueue queue = WorkQueue.of(client, name);
                ProgressBar.Task task = ctx.progress().start("work-queue / " + target.name(), items, "items")) {
            List<Session> sessions = new ArrayList<>();
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CONSUMERS; c++) {
                sessions.add(Session.open(client, Duration.ofSeconds(30)));
            }
            // the consumers start waiting before the measurement, so the first items find them idle
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            for (Session s : sessions) {
                WorkConsumer consumer = queue.openConsumer(s);
                futures.add(pool.submit(() -> {
                    Histogram mine = Phase.newHistogram();
                    while (done.get() < items) {
                        List<Claim> claims = consumer.claimBatch(CLAIM_BATCH, Duration.ofMillis(200));
                        if (claims.isEmpty()) {
                            continue;
                        }
                        List<Claim> acked = consumer.ackAll(claims);
                        long now = System.nanoTime();
                        for (Claim c : acked) {
                            mine.recordValue(Math.min(now - c.claimedAtNanos(), Phase.HIGHEST_NANOS));
                        }
                        errors.addAndGet(claims.size() - acked.size());
                        done.addAndGet(acked.size());
                        task.add(acked.size());
                    }
                    synchronized (latencies) {
                        latencies.add(mine);
                    }
                    return null;
                }));
            }
            produceBatches(pool, futures, items, (from, to) -> {
                List<NewItem> batch = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(NewItem.of("item-" + i));
                }
                queue.addAll(batch);
            });
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            Phase phase = m.stop(items, errors.get(), 0, null, latencies);
            sessions.forEach(Session::close);
            ctx.admin().reset("etcdkit/workqueue/" + name + "/");
            return phase;
        } finally {
            pool.shutdownNow();
        }
    }

    private static Phase naive(BenchContext ctx, JetcdTarget target, AtomicLong polls, AtomicLong reads,
            AtomicLong writes, int items) throws Exception {
        KV kv = target.client().getKVClient();
        ctx.admin().reset(NAIVE_PREFIX);
        ByteSequence prefix = ByteSequence.from(NAIVE_PREFIX, StandardCharsets.UTF_8);
        GetOption firstKeys = GetOption.builder().isPrefix(true).withLimit(16).build();
        Histogram latencies = Phase.newHistogram();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(PRODUCERS + CONSUMERS);
        try (ProgressBar.Task task = ctx.progress().start("work-queue / " + target.name(), items, "items")) {
            List<Future<?>> futures = new ArrayList<>();
            Measurement m = Measurement.start(ctx.meters(), ctx.threadCpu());
            for (int c = 0; c < CONSUMERS; c++) {
                futures.add(pool.submit(() -> {
                    Histogram mine = Phase.newHistogram();
                    long pollStarted = System.nanoTime();
                    while (done.get() < items) {
                        polls.incrementAndGet();
                        reads.incrementAndGet();
                        List<KeyValue> kvs = kv.get(prefix, firstKeys).get(60, TimeUnit.SECONDS).getKvs();
                        if (kvs.isEmpty()) {
                            Thread.sleep(10);
                            continue;
                        }
                        KeyValue pick = kvs.get(ThreadLocalRandom.current().nextInt(kvs.size()));
                        writes.incrementAndGet();
                        boolean won = kv.txn().If(new Cmp(pick.getKey(), Cmp.Op.EQUAL,
                                        CmpTarget.modRevision(pick.getModRevision())))
                                .Then(Op.delete(pick.getKey(), DeleteOption.DEFAULT)).commit()
                                .get(60, TimeUnit.SECONDS).isSucceeded();
                        if (won) {
                            long now = System.nanoTime();
                            mine.recordValue(Math.min(now - pollStarted, Phase.HIGHEST_NANOS));
                            pollStarted = now;
                            done.incrementAndGet();
                            task.add(1);
                        }
                    }
                    synchronized (latencies) {
                        latencies.add(mine);
                    }
                    return null;
                }));
            }
            produce(pool, futures, items, i -> {
                writes.incrementAndGet();
                kv.put(ByteSequence.from(String.format("%s%012d", NAIVE_PREFIX, i), StandardCharsets.UTF_8),
                        ByteSequence.from("item-" + i, StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
            });
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.MINUTES);
            }
            Phase phase = m.stop(items, 0, 0, null, latencies);
            ctx.admin().reset(NAIVE_PREFIX);
            return phase;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Add {
        void add(int i) throws Exception;
    }

    @FunctionalInterface
    private interface AddBatch {
        void add(int from, int to) throws Exception;
    }

    /**
     * {@value #PRODUCERS} producers add item numbers 0..items-1 between them in batches of {@value #ADD_BATCH}
     * (producer p takes batches p, p + 4, ...).
     */
    private static void produceBatches(ExecutorService pool, List<Future<?>> futures, int items, AddBatch add) {
        for (int p = 0; p < PRODUCERS; p++) {
            int first = p * ADD_BATCH;
            futures.add(pool.submit(() -> {
                for (int from = first; from < items; from += PRODUCERS * ADD_BATCH) {
                    add.add(from, Math.min(items, from + ADD_BATCH));
                }
                return null;
            }));
        }
    }

    /** {@value #PRODUCERS} producers add item numbers 0..items-1 between them (each takes every 4th). */
    private static void produce(ExecutorService pool, List<Future<?>> futures, int items, Add add) {
        for (int p = 0; p < PRODUCERS; p++) {
            int first = p;
            futures.add(pool.submit(() -> {
                for (int i = first; i < items; i += PRODUCERS) {
                    add.add(i);
                }
                return null;
            }));
        }
    }
}
