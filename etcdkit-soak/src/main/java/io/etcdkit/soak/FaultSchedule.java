package io.etcdkit.soak;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.nemesis.FaultKind;
import io.etcdkit.testing.nemesis.FaultWindow;
import io.etcdkit.testing.nemesis.Nemesis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The faults of a soak run, from one seed: first a <i>coverage round</i> (each planned kind once, in an order drawn
 * from the seed, one {@link Nemesis} restricted to that kind until its fault has been healed), so that a run of a
 * minute or more injects every kind (a shorter one stops the round when its time is up); then one {@link Nemesis} over all planned kinds at random until the duration is used up.
 * Every window goes to the same list. Always heals, also when interrupted or failing.
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

    /** Every window so far, in the order they were healed. */
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
        List<FaultKind> order = new ArrayList<>(kinds);
        Collections.shuffle(order, new Random(seed));
        log.accept("soak: coverage round, one fault of each kind in this order: " + order);
        long n = 0;
        for (FaultKind kind : order) {
            if (System.nanoTime() - endNanos >= 0) {
                log.accept("soak: the run ended before the coverage round did; " + kind + " and the kinds after it "
                        + "were not injected");
                break;
            }
            CountDownLatch healed = new CountDownLatch(1);
            try (Nemesis nemesis = nemesis(seed + (++n), EnumSet.of(kind), w -> healed.countDown())) {
                nemesis.start();
                // bounded: one calm plus one window, and time for a slow restart
                if (!healed.await(60, TimeUnit.SECONDS)) {
                    log.accept("soak: no " + kind + " fault was healed within 60 s");
                }
                nemesis.stopAndHeal(HEAL);
            }
        }
        long left = endNanos - System.nanoTime();
        if (left > CALM_MAX.plus(FAULT_MAX).toNanos()) {
            log.accept("soak: random faults for " + Duration.ofNanos(left).toSeconds() + " s more");
            try (Nemesis nemesis = nemesis(seed, kinds, w -> { })) {
                nemesis.start();
                TimeUnit.NANOSECONDS.sleep(left); // the run's length itself, not a wait for a condition
                nemesis.stopAndHeal(HEAL);
            }
        }
        return System.nanoTime();
    }

    private Nemesis nemesis(long nemesisSeed, Set<FaultKind> which, Consumer<FaultWindow> onHealed) {
        return Nemesis.builder(cluster).seed(nemesisSeed).kinds(which).faultLength(FAULT_MIN, FAULT_MAX)
                .calm(CALM_MIN, CALM_MAX).listener(w -> {
                    windows.add(w);
                    log.accept(String.format("soak: fault %s on %s for %d ms (%s)", w.kind(), w.target(),
                            w.lengthNanos() / 1_000_000, w.detail()));
                    onHealed.accept(w);
                }).log(line -> log.accept("nemesis: " + line)).build();
    }
}
