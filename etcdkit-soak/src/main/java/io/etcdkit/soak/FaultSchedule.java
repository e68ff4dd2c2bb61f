package io.etcdkit.soak;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.FaultWindow;
import io.etcdkit.testing.nemesis.Nemesis;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The faults of a soak run: one seeded {@link Nemesis} over the planned kinds for the run's duration (its schedule
 * comes in shuffled rounds, every kind once per round, so a run longer than one round injects every kind), then
 * heal and wait for a healthy cluster. Windows of 1 to 5 s after calms of 1 to 3 s. Always heals, also when
 * interrupted or failing.
 */
final class FaultSchedule {
    static final Duration FAULT_MIN = Duration.ofSeconds(1);
    static final Duration FAULT_MAX = Duration.ofSeconds(5);
    static final Duration CALM_MIN = Duration.ofSeconds(1);
    static final Duration CALM_MAX = Duration.ofSeconds(3);
    static final Duration HEAL = Duration.ofSeconds(90);

    private final EtcdCluster cluster;
    private final long seed;
    private final Set<FaultKind> kinds;
    private final Consumer<String> log;
    private final List<FaultWindow> windows = new CopyOnWriteArrayList<>();

    FaultSchedule(EtcdCluster cluster, long seed, Set<FaultKind> kinds, Consumer<String> log) {
        this.cluster = cluster;
        this.seed = seed;
        this.kinds = EnumSet.noneOf(FaultKind.class);
        this.kinds.addAll(kinds);
        this.log = log;
    }

    /** Every window, in order. */
    List<FaultWindow> windows() {
        return List.copyOf(windows);
    }

    /**
     * Injects faults until {@code endNanos}, then heals and waits for a healthy cluster.
     *
     * @return when the last fault was healed
     */
    long run(long endNanos) throws InterruptedException {
        if (kinds.isEmpty()) {
            log.accept("soak: baseline run, no faults");
            TimeUnit.NANOSECONDS.sleep(Math.max(0, endNanos - System.nanoTime()));
            return System.nanoTime();
        }
        Nemesis nemesis = Nemesis.builder(cluster).seed(seed).kinds(kinds).faultLength(FAULT_MIN, FAULT_MAX)
                .calm(CALM_MIN, CALM_MAX).listener(windows::add).log(log).build();
        try {
            nemesis.start();
            // the run's length itself, not a wait for a condition
            TimeUnit.NANOSECONDS.sleep(Math.max(0, endNanos - System.nanoTime()));
        } finally {
            try {
                nemesis.stopAndHeal(HEAL);
            } finally {
                windows.clear();
                windows.addAll(nemesis.windows()); // also the fault that the stop ended
            }
        }
        return System.nanoTime();
    }
}
