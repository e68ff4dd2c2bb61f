package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.cache.CacheSnapshot;
import io.etcdkit.recipes.cache.CachedView;
import io.etcdkit.soak.Outcome;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Verdict;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.soak.WriteErrors;
import io.etcdkit.testing.check.ViewConsistencyChecker;
import io.etcdkit.testing.check.ViewConsistencyChecker.Version;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Cached views: {@value #WRITERS} writers put and delete at random on {@value #KEYS} keys while a
 * {@link CachedView} on its own client follows them through the faults (compactions make it re-sync). Every
 * {@value #CHECKPOINT_SECONDS} s the view is compared with a read of the store at the view's own revision (skipped
 * when the store cannot answer, e.g. that revision was compacted or no member has a leader); once the faults have
 * healed and the writers stopped, the view must catch up with a final marker write and equal a fresh
 * linearizable read. Judged by {@link ViewConsistencyChecker}.
 */
public final class CachedViewWorkload extends AbstractWorkload {
    static final int KEYS = 50;
    static final int WRITERS = 2;
    static final int CHECKPOINT_SECONDS = 10;
    private static final String PREFIX = "soak/view/";

    private final ViewConsistencyChecker checker = new ViewConsistencyChecker();
    private EtcdClient writer;
    private EtcdClient reader;
    private CachedView<String> view;
    private volatile long skippedCheckpoints;

    /**
     * Creates the workload.
     *
     * @param clients where its clients connect
     * @param seed the run's seed
     */
    public CachedViewWorkload(SoakClients clients, long seed) {
        super("cached-view", clients, seed);
    }

    @Override
    public void start() throws Exception {
        writer = openClient();
        reader = openClient();
        view = CachedView.builder(openClient(), PREFIX, Codecs.text()).open();
        if (!view.awaitReady(Duration.ofSeconds(30))) {
            throw new IllegalStateException(name() + ": the view was not ready within 30 s");
        }
        for (int w = 0; w < WRITERS; w++) {
            Random random = new Random(seed + w);
            String id = "w" + w;
            long[] n = {0};
            threads.spawn(id, () -> {
                write(random, id + "-" + n[0]++);
                WorkloadThreads.pause(random.nextInt(20));
            });
        }
        long[] next = {System.nanoTime() + Duration.ofSeconds(CHECKPOINT_SECONDS).toNanos()};
        threads.spawn("checkpoints", () -> {
            if (System.nanoTime() - next[0] >= 0) {
                next[0] += Duration.ofSeconds(CHECKPOINT_SECONDS).toNanos();
                liveCheckpoint();
            }
            WorkloadThreads.pause(200);
        });
    }

    private void write(Random random, String value) {
        String key = PREFIX + "k" + random.nextInt(KEYS);
        long t0 = System.nanoTime();
        try {
            if (random.nextInt(4) == 0) {
                writer.kv().delete(key);
            } else {
                writer.kv().put(key, value);
            }
            log.record(t0, Outcome.OK);
        } catch (EtcdException e) {
            log.record(t0, WriteErrors.outcomeOf(e));
        }
    }

    private void liveCheckpoint() {
        CacheSnapshot<String> snapshot = view.snapshot();
        Map<String, Version> store;
        try {
            store = storeAt(snapshot.revision());
        } catch (EtcdException e) {
            skippedCheckpoints++;
            return;
        }
        checker.compare("live", snapshot.revision(), versions(snapshot), store);
    }

    private Map<String, Version> storeAt(long revision) {
        Map<String, Version> store = new HashMap<>();
        for (KeyValue kv : reader.kv().range(Range.prefix(PREFIX).atRevision(revision)).kvs()) {
            store.put(kv.keyAsString(), new Version(kv.valueAsString(), kv.modRevision()));
        }
        return store;
    }

    private static Map<String, Version> versions(CacheSnapshot<String> snapshot) {
        Map<String, Version> copy = new HashMap<>();
        snapshot.entries().forEach((k, e) -> copy.put(k, new Version(e.value(), e.modRevision())));
        return copy;
    }

    @Override
    public Verdict check(Duration budget) throws Exception {
        long deadline = System.nanoTime() + budget.toNanos();
        List<String> details = new ArrayList<>();
        long violations = 0;
        // A marker after every other write (a new key per try, so a repeated try changes nothing that matters).
        long marker = 0;
        for (int attempt = 0; marker == 0; attempt++) {
            try {
                marker = writer.kv().put(PREFIX + "~marker-" + attempt, "m").revision();
            } catch (EtcdException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        if (!view.awaitRevision(marker, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
            violations++;
            details.add("the view did not reach revision " + marker + " within the budget (at " + view.revision()
                    + ", connected " + view.isConnected() + ")");
        }
        CacheSnapshot<String> snapshot = view.snapshot();
        long at = snapshot.revision();
        Map<String, Version> store = Retry.untilDone(deadline, () -> storeAt(at));
        checker.compare("after heal", at, versions(snapshot), store);
        ViewConsistencyChecker.Report report = checker.check();
        violations += describe(report, threads, details);
        return new Verdict(name(), "ViewConsistencyChecker", violations, report.summary() + "; " + skippedCheckpoints
                + " live checkpoints skipped (store unavailable or compacted)", details);
    }

    @Override
    void closeRecipes() {
        if (view != null) {
            view.close();
        }
    }
}
