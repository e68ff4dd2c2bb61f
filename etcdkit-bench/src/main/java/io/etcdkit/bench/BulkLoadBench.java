package io.etcdkit.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KV;
import io.etcdkit.Bytes;
import io.etcdkit.kv.BulkLoader;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;

/**
 * {@code bulk-load}: writing {@code --bulk-keys} keys of {@code --value-size} bytes into an empty prefix.
 * etcdkit: its core {@link BulkLoader} ({@code kv().bulkLoader()}: transactions of as many puts as the server
 * allows, {@code --max-txn-ops}, which the bench's own cluster is started with, and under its request size
 * limit; at most 4 outstanding). jetcd has no bulk API: per-key async
 * {@code KV.put}, {@code --in-flight} outstanding. Per round: delete the prefix, compact and defragment, load,
 * then check that every key is there. A warm-up round of a fifth of the keys first; then {@code --rounds}
 * interleaved rounds. Latency = one whole load.
 */
final class BulkLoadBench implements WorkloadBench {
    private static final String PREFIX = "bench/bulk-load/";

    /** Loads a key space with one client; returns the number of keys it says it wrote. */
    private interface Loader {
        long load() throws Exception;
    }

    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        List<Target> targets = ctx.etcdkitAndJetcd(w);
        BenchOptions o = ctx.options();
        int n = o.sizes().bulkKeys();
        KeySpace keys = new KeySpace(PREFIX, n, o.valueSize());
        KeySpace warmKeys = new KeySpace(PREFIX, Math.max(1, n / 5), o.valueSize());
        Map<String, Loader> loaders = new LinkedHashMap<>();
        Map<String, List<Phase>> rounds = new LinkedHashMap<>();
        try {
            for (Target t : targets) {
                loaders.put(t.name(), loader(t, keys, o.inFlight()));
                rounds.put(t.name(), new ArrayList<>());
                round(ctx, t, loader(t, warmKeys, o.inFlight()), warmKeys.size(), "warm-up");
            }
            BenchContext.interleave(targets, o.sizes().rounds(), (t, s) -> rounds.get(t.name())
                    .add(round(ctx, t, loaders.get(t.name()), n, (s + 1) + "/" + o.sizes().rounds())));
        } finally {
            ctx.admin().reset(PREFIX);
        }
        List<Result> results = new ArrayList<>();
        for (Target t : targets) {
            String how = t instanceof EtcdkitTarget ? String.format(Locale.ROOT,
                    "bulkLoader(): txns of up to %d puts (server --max-txn-ops), 4 in flight", o.maxTxnOps())
                    : String.format(Locale.ROOT, "per-key async puts, %d in flight", o.inFlight());
            Result r = Result.of(w, w.id(), t.name(), "key", rounds.get(t.name()),
                    how + "; latency = one load of " + n + " keys");
            ctx.printResult(r);
            results.add(r);
        }
        ctx.out().println();
        return results;
    }

    private static Phase round(BenchContext ctx, Target t, Loader loader, int n, String round) throws Exception {
        ctx.admin().reset(PREFIX);
        BenchContext.settle();
        long errors = 0;
        Throwable first = null;
        Histogram latency = Phase.newHistogram();
        Measurement m;
        try (ProgressBar.Task task = ctx.progress().start("bulk-load / " + t.name() + " " + round, 1, "loads")) {
            m = Measurement.start(ctx.meters(), ctx.threadCpu());
            try {
                long written = loader.load();
                if (written != n) {
                    errors++;
                    first = new IllegalStateException("the loader reported " + written + " of " + n + " keys written");
                }
            } catch (Exception e) {
                errors++;
                first = e;
            }
            latency.recordValue(Math.min(System.nanoTime() - m.startNanos(), Phase.HIGHEST_NANOS));
        }
        Phase phase = m.stop(n, errors, 0, first, latency);
        long there = ctx.admin().count(PREFIX);
        if (there != n && phase.errors() == 0) {
            return new Phase(n, 1, 0, new IllegalStateException(there + " of " + n + " keys are there after the load"),
                    phase.latencies(), phase.used(), phase.threadCpuNanos());
        }
        return phase;
    }

    private static Loader loader(Target t, KeySpace keys, int inFlight) {
        if (t instanceof EtcdkitTarget e) {
            List<Map.Entry<Bytes, Bytes>> entries = new ArrayList<>(keys.size());
            Bytes value = Bytes.of(keys.value());
            for (int i = 0; i < keys.size(); i++) {
                entries.add(new AbstractMap.SimpleImmutableEntry<>(Bytes.of(keys.key(i)), value));
            }
            return () -> e.client().kv().bulkLoader().load(entries.iterator());
        }
        if (t instanceof JetcdTarget j) {
            ByteSequence[] k = new ByteSequence[keys.size()];
            for (int i = 0; i < k.length; i++) {
                k[i] = ByteSequence.from(keys.key(i));
            }
            ByteSequence value = ByteSequence.from(keys.value());
            return () -> perKeyPuts(j.client().getKVClient(), k, value, inFlight);
        }
        throw new UnsupportedOperationException(t.name() + " has no bulk load here");
    }

    /** What a jetcd application does without a bulk API: a put per key, a bounded number outstanding. */
    private static long perKeyPuts(KV kv, ByteSequence[] keys, ByteSequence value, int inFlight) throws Exception {
        Semaphore permits = new Semaphore(inFlight);
        AtomicLong written = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (ByteSequence key : keys) {
            permits.acquire();
            if (failure.get() != null) {
                permits.release();
                break;
            }
            kv.put(key, value).whenComplete((r, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    written.incrementAndGet();
                }
                permits.release();
            });
        }
        if (!permits.tryAcquire(inFlight, 300, TimeUnit.SECONDS)) {
            throw new IllegalStateException("jetcd puts still outstanding after 300 s");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("a jetcd put failed: " + failure.get(), failure.get());
        }
        return written.get();
    }
}
