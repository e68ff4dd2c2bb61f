package io.etcdkit.soak;

import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.FaultWindow;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a soak run found: its settings, the faults injected, and each workload's operations and verdict.
 *
 * @param seed the seed (replays the same schedule of fault kinds and targets)
 * @param members the cluster size
 * @param plannedKinds the fault kinds the run was to inject
 * @param partitions whether partitions could be injected, or why not
 * @param startNanos when the workloads started ({@link System#nanoTime()}; time 0 of the timeline)
 * @param faultsEndNanos when the last fault was healed
 * @param duration the whole run, from cluster start to the last check
 * @param faults every fault window, in order
 * @param workloads every workload's result
 */
public record SoakResult(long seed, int members, Set<FaultKind> plannedKinds, String partitions, long startNanos,
        long faultsEndNanos, Duration duration, List<FaultWindow> faults, List<WorkloadResult> workloads) {
    /** Copies the collections. */
    public SoakResult {
        plannedKinds = Set.copyOf(plannedKinds);
        faults = List.copyOf(faults);
        workloads = List.copyOf(workloads);
    }

    /** {@return how many faults of each kind were injected, in kind order} */
    public Map<FaultKind, Integer> faultsByKind() {
        Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
        for (FaultWindow w : faults) {
            counts.merge(w.kind(), 1, Integer::sum);
        }
        return counts;
    }

    /** {@return the violations of every checker, summed} */
    public long violations() {
        return workloads.stream().mapToLong(w -> w.verdict().violations()).sum();
    }

    /** {@return true when every checker decided, found nothing, and every workload made progress after the heal} */
    public boolean passed() {
        return workloads.stream().allMatch(w -> w.verdict().isClean() && w.progressAfterHeal());
    }
}
