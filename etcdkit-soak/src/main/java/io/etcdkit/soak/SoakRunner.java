package io.etcdkit.soak;

import io.etcdkit.soak.workload.CachedViewWorkload;
import io.etcdkit.soak.workload.ElectionWorkload;
import io.etcdkit.soak.workload.LockWorkload;
import io.etcdkit.soak.workload.RegisterWorkload;
import io.etcdkit.soak.workload.WatchWorkload;
import io.etcdkit.soak.workload.WorkQueueWorkload;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.nemesis.Availability;
import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.Partitions;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a soak: starts a local cluster, starts every workload, injects faults for the duration
 * ({@link FaultSchedule}), heals, checks that every workload makes progress again, stops the workloads, runs every
 * checker, and returns a {@link SoakResult} (and writes the report files when asked). Always heals and closes
 * everything, also on failure. Loopback only.
 */
public final class SoakRunner {
    /** How long each workload may take to complete an operation after the heal, and each checker's budget. */
    static final Duration SETTLE = Duration.ofSeconds(60);

    private SoakRunner() {
    }

    /**
     * Runs a soak.
     *
     * @param options what to run
     * @return what it found
     * @throws InterruptedException if interrupted (everything is healed and closed first)
     * @throws IOException if the report files cannot be written
     * @throws IllegalStateException if a workload cannot start (the cluster did not come up healthy, ...)
     */
    public static SoakResult run(SoakOptions options) throws InterruptedException, IOException {
        long begin = System.nanoTime();
        boolean wantsPartitions = options.kinds().stream().anyMatch(FaultKind::isPartition);
        Availability partitions = wantsPartitions ? Partitions.probe() : new Availability(false, "not asked for");
        Set<FaultKind> kinds = EnumSet.noneOf(FaultKind.class);
        kinds.addAll(options.kinds());
        if (wantsPartitions && !partitions.available()) {
            kinds.removeIf(FaultKind::isPartition);
            options.log().accept("soak: partitions are not available (" + partitions.reason()
                    + "); the other faults run");
        }
        if (kinds.isEmpty() && !options.kinds().isEmpty()) {
            throw new IllegalArgumentException("no fault kind left to inject: " + options.kinds()
                    + " are all partitions, which are unavailable here (" + partitions.reason() + ")");
        }
        options.log().accept("soak: seed " + options.seed() + ", " + options.members() + " members, "
                + options.duration().toSeconds() + " s of faults: " + kinds);
        List<Workload> workloads = new ArrayList<>();
        try (EtcdCluster cluster = EtcdCluster.builder().members(options.members()).build()) {
            cluster.start();
            cluster.awaitHealthy(Duration.ofSeconds(30));
            SoakClients clients = new SoakClients(cluster.clientEndpoints());
            long seed = options.seed();
            workloads.add(new RegisterWorkload(clients, seed));
            workloads.add(new WatchWorkload(clients, seed));
            workloads.add(new LockWorkload(clients, seed));
            workloads.add(new ElectionWorkload(clients, seed));
            workloads.add(new CachedViewWorkload(clients, seed));
            workloads.add(new WorkQueueWorkload(clients, seed));
            try {
                long start = System.nanoTime();
                for (Workload w : workloads) {
                    try {
                        w.start();
                    } catch (InterruptedException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException("soak: the " + w.name() + " workload could not start: " + e, e);
                    }
                }
                awaitProgress(workloads, start, options);
                FaultSchedule schedule = new FaultSchedule(cluster, seed, kinds, options.log());
                long healed = schedule.run(System.nanoTime() + options.duration().toNanos());
                options.log().accept("soak: faults healed; waiting for every workload to make progress");
                List<Boolean> progress = awaitProgress(workloads, healed, options);
                for (Workload w : workloads) {
                    w.stop();
                }
                List<WorkloadResult> results = new ArrayList<>();
                for (int i = 0; i < workloads.size(); i++) {
                    Workload w = workloads.get(i);
                    results.add(new WorkloadResult(w.log().snapshot(), check(w, checkBudget(options)),
                            progress.get(i)));
                }
                SoakResult result = new SoakResult(seed, options.members(), kinds,
                        partitions.available() ? "available" : partitions.reason(), start, healed,
                        Duration.ofNanos(System.nanoTime() - begin), schedule.windows(), results);
                if (options.outDir() != null) {
                    SoakReport.write(result, options.outDir());
                }
                return result;
            } finally {
                for (Workload w : workloads) {
                    w.close();
                }
            }
        }
    }

    /** A minute, or a tenth of the run for long runs (a longer history takes the linearizability search longer). */
    static Duration checkBudget(SoakOptions options) {
        Duration tenth = options.duration().dividedBy(10);
        return tenth.compareTo(SETTLE) > 0 ? tenth : SETTLE;
    }

    /** Runs a workload's checker; a checker that cannot run is a violation (its error says why). */
    private static Verdict check(Workload w, Duration budget) {
        try {
            return w.check(budget);
        } catch (Exception e) {
            return new Verdict(w.name(), "check", 1, "the check could not run: " + e,
                    List.of(w.name() + ": the check could not run: " + e));
        }
    }

    /** Waits (bounded) until every workload has completed an operation after {@code since}. */
    private static List<Boolean> awaitProgress(List<Workload> workloads, long since, SoakOptions options)
            throws InterruptedException {
        long end = System.nanoTime() + SETTLE.toNanos();
        List<Boolean> progress = new ArrayList<>();
        for (Workload w : workloads) {
            while (!w.log().okSince(since) && System.nanoTime() - end < 0) {
                Thread.sleep(50);
            }
            boolean ok = w.log().okSince(since);
            if (!ok) {
                options.log().accept("soak: " + w.name() + " made no progress within " + SETTLE.toSeconds() + " s");
            }
            progress.add(ok);
        }
        return progress;
    }
}
