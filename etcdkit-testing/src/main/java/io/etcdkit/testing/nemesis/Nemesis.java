package io.etcdkit.testing.nemesis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;

/**
 * A seeded random schedule of faults against a local {@link EtcdCluster}: one fault at a time, each for a random
 * window, separated by random calm periods, on its own thread.
 *
 * <pre>{@code
 * try (Nemesis nemesis = Nemesis.builder(cluster).seed(42).faultLength(Duration.ofSeconds(1), Duration.ofSeconds(3))
 *         .calm(Duration.ofMillis(500), Duration.ofSeconds(2)).log(System.out::println).build()) {
 *     nemesis.start();
 *     ... run workloads ...
 *     nemesis.stopAndHeal(Duration.ofSeconds(30));
 *     List<FaultWindow> windows = nemesis.windows();
 * }
 * }</pre>
 *
 * <p>Every choice (kind, target, window and calm lengths) comes from {@code new Random(seed)}, and the first log
 * line names the seed, so a failing run replays the same sequence of kinds and targets; etcd's own timing (who is
 * leader when, how long a restart takes) is not replayable. Never more than one member is down, paused, isolated
 * or replaced at a time, so a cluster of 3 or more keeps its quorum outside the fault's own effect.
 *
 * <p>Thread safety: all methods may be called from any thread.
 */
public final class Nemesis implements AutoCloseable {

    private static final Duration HEALTHY_BEFORE_FAULT = Duration.ofSeconds(30);
    private static final int PREVIEW_STEPS = 12;
    private static final Set<FaultKind> MEMBER_KINDS = EnumSet.of(FaultKind.KILL, FaultKind.PAUSE,
            FaultKind.ISOLATE_MEMBER, FaultKind.ISOLATE_LEADER, FaultKind.SPLIT, FaultKind.REPLACE_MEMBER);
    private static final Set<FaultKind> ETCDCTL_KINDS = EnumSet.of(FaultKind.COMPACT, FaultKind.DEFRAG,
            FaultKind.REVOKE_LEASE);

    private final EtcdCluster cluster;
    private final long seed;
    private final Set<FaultKind> requestedKinds;
    private final Duration faultMin;
    private final Duration faultMax;
    private final Duration calmMin;
    private final Duration calmMax;
    private final Consumer<FaultWindow> listener;
    private final Consumer<String> log;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final List<FaultWindow> windows = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final ReentrantLock lifecycle = new ReentrantLock();

    private volatile Thread thread;
    private volatile Partitions partitions;
    private volatile FaultKind currentKind;
    private volatile String currentTarget;
    private volatile long currentStart;
    private volatile boolean stopped;

    private Nemesis(Builder builder) {
        this.cluster = builder.cluster;
        this.seed = builder.seed;
        this.requestedKinds = EnumSet.copyOf(builder.kinds);
        this.faultMin = builder.faultMin;
        this.faultMax = builder.faultMax;
        this.calmMin = builder.calmMin;
        this.calmMax = builder.calmMax;
        this.listener = builder.listener;
        this.log = builder.log;
    }

    /**
     * A builder for a nemesis against {@code cluster}.
     *
     * @param cluster a started cluster (3 or more members for the member faults)
     * @return a new builder
     * @throws NullPointerException if {@code cluster} is null
     */
    public static Builder builder(EtcdCluster cluster) {
        return new Builder(Objects.requireNonNull(cluster, "cluster"));
    }

    /**
     * Starts the schedule on its own daemon thread. The first log line names the seed, the kinds that will run (and
     * why some are skipped: partitions unavailable, no etcdctl) and the first planned steps.
     *
     * @throws IllegalStateException if already started or stopped, if the cluster has fewer than 3 members while a
     *                               member fault (kill, pause, isolate, split, replace) is requested, or if no
     *                               requested kind can run here
     */
    public void start() {
        lifecycle.lock();
        try {
            if (thread != null || stopped) {
                throw new IllegalStateException("A nemesis can be started once");
            }
            int size = cluster.members().size();
            Set<FaultKind> member = EnumSet.copyOf(requestedKinds);
            member.retainAll(MEMBER_KINDS);
            if (size < 3 && !member.isEmpty()) {
                throw new IllegalStateException("Faults " + member + " need a cluster of at least 3 members (a majority "
                        + "must stay up while one member is hit); this cluster has " + size
                        + ". Use kinds(...) without them, or members(3).");
            }
            Set<FaultKind> kinds = EnumSet.copyOf(requestedKinds);
            List<String> skipped = new ArrayList<>();
            if (kinds.stream().anyMatch(FaultKind::isPartition)) {
                Availability availability = Partitions.probe();
                if (availability.available()) {
                    partitions = Partitions.of(cluster);
                } else {
                    kinds.removeIf(FaultKind::isPartition);
                    skipped.add("partition kinds skipped: " + availability.reason());
                }
            }
            Optional<Etcdctl> etcdctl = Etcdctl.find(cluster);
            if (etcdctl.isEmpty() && kinds.removeAll(ETCDCTL_KINDS)) {
                skipped.add(ETCDCTL_KINDS + " skipped: no etcdctl on PATH or in ETCDCTL_BIN (apt-get install etcd-client)");
            }
            if (kinds.isEmpty()) {
                throw new IllegalStateException("None of the requested faults " + requestedKinds + " can run here: "
                        + skipped);
            }
            log.accept("nemesis: seed " + seed + " (replay with seed(" + seed + "L); etcd's own timing, e.g. who leads "
                    + "when, is not replayable); " + size + " members; kinds " + kinds + "; fault " + faultMin.toMillis()
                    + "-" + faultMax.toMillis() + " ms; calm " + calmMin.toMillis() + "-" + calmMax.toMillis() + " ms; "
                    + (skipped.isEmpty() ? "" : String.join("; ", skipped) + "; ") + "plan: "
                    + Schedule.preview(seed, kinds, size, faultMin, faultMax, calmMin, calmMax, PREVIEW_STEPS).stream()
                            .map(Nemesis::describe).collect(Collectors.joining(", ")) + ", ...");
            Schedule schedule = new Schedule(seed, kinds, size, faultMin, faultMax, calmMin, calmMax);
            FaultInjector injector = new FaultInjector(cluster, Optional.ofNullable(partitions), etcdctl);
            Thread started = new Thread(() -> run(schedule, injector), "etcdkit-nemesis-" + seed);
            started.setDaemon(true);
            thread = started;
            started.start();
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Stops the schedule: ends the current fault early, heals every partition, resumes paused and starts stopped
     * members, and waits until the cluster is healthy. Idempotent.
     *
     * @param timeout how long to wait at most for all of it
     * @throws io.etcdkit.testing.EtcdTestingException if the cluster is not healthy in time
     */
    public void stopAndHeal(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        lifecycle.lock();
        try {
            stopped = true;
            stopSignal.countDown();
            Thread running = thread;
            if (running != null) {
                join(running, deadline);
                if (running.isAlive()) {
                    running.interrupt();
                    join(running, System.nanoTime() + Duration.ofSeconds(5).toNanos());
                }
            }
            restoreEverything();
            Partitions open = partitions;
            if (open != null) {
                open.close();
            }
            long left = Math.max(Duration.ofSeconds(1).toNanos(), deadline - System.nanoTime());
            cluster.awaitHealthy(Duration.ofNanos(left));
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * Every fault so far (including the current one, with its end as now), in order.
     *
     * @return an unmodifiable snapshot
     */
    public List<FaultWindow> windows() {
        List<FaultWindow> snapshot = new ArrayList<>(windows);
        FaultKind kind = currentKind;
        if (kind != null) {
            snapshot.add(new FaultWindow(kind, currentTarget, currentStart, System.nanoTime(), "in progress"));
        }
        return List.copyOf(snapshot);
    }

    /**
     * What went wrong while injecting or healing faults (each also logged); empty in a clean run. A fault that
     * failed to be injected is still in {@link #windows()}, with {@code failed: ...} as its detail.
     *
     * @return an unmodifiable snapshot
     */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /**
     * The seed that drives every choice.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /** Same as {@link #stopAndHeal(Duration) stopAndHeal(60 s)}. */
    @Override
    public void close() {
        stopAndHeal(Duration.ofSeconds(60));
    }

    // ---- the nemesis thread ----

    private void run(Schedule schedule, FaultInjector injector) {
        while (!stopped) {
            ScheduleStep step = schedule.next();
            if (pause(step.calmNanos())) {
                return;
            }
            try {
                restoreEverything(); // a member a failed heal left down must not make the next fault the second
                cluster.awaitHealthy(HEALTHY_BEFORE_FAULT);
            } catch (RuntimeException e) {
                error("step " + step.number() + " " + step.kind() + " not injected: the cluster is not healthy ("
                        + e.getMessage() + ")");
                restoreQuietly();
                continue;
            }
            inject(step, injector);
        }
    }

    private void inject(ScheduleStep step, FaultInjector injector) {
        long start = System.nanoTime();
        currentTarget = "?";
        currentStart = start;
        currentKind = step.kind();
        FaultInjector.ActiveFault fault;
        try {
            fault = injector.begin(step);
        } catch (RuntimeException e) {
            error("step " + step.number() + " " + step.kind() + " failed: " + e.getMessage());
            restoreQuietly();
            record(new FaultWindow(step.kind(), "?", start, System.nanoTime(), "failed: " + e.getMessage()));
            return;
        }
        currentTarget = fault.target();
        String detail = fault.detail();
        if (fault.isHeld()) {
            log.accept("nemesis: #" + step.number() + " " + step.kind() + " " + fault.target() + " for "
                    + Duration.ofNanos(step.faultNanos()).toMillis() + " ms: " + detail);
            pause(step.faultNanos());
            try {
                fault.healer().run();
            } catch (RuntimeException e) {
                error("step " + step.number() + " " + step.kind() + " " + fault.target() + ": healing failed: "
                        + e.getMessage());
                detail += "; healing failed: " + e.getMessage();
                restoreQuietly();
            }
        }
        FaultWindow window = new FaultWindow(step.kind(), fault.target(), start, System.nanoTime(), detail);
        record(window);
        log.accept("nemesis: #" + step.number() + " " + step.kind() + " " + fault.target() + " ended after "
                + Duration.ofNanos(window.lengthNanos()).toMillis() + " ms" + (fault.isHeld() ? "" : ": " + detail));
    }

    private void record(FaultWindow window) {
        windows.add(window);
        currentKind = null;
        try {
            listener.accept(window);
        } catch (RuntimeException e) {
            error("the window listener threw " + e);
        }
    }

    /** Waits {@code nanos} unless stopped first; returns whether the nemesis was stopped. */
    private boolean pause(long nanos) {
        try {
            return stopSignal.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private void error(String message) {
        errors.add(message);
        log.accept("nemesis: ERROR " + message);
    }

    private void restoreQuietly() {
        try {
            restoreEverything();
        } catch (RuntimeException e) {
            error("restoring the cluster failed: " + e.getMessage());
        }
    }

    /** Heals partitions, resumes paused members, starts stopped ones. */
    private void restoreEverything() {
        Partitions open = partitions;
        if (open != null) {
            open.heal();
        }
        for (EtcdMember m : cluster.members()) {
            m.resume();
        }
        for (EtcdMember m : cluster.members()) {
            if (!m.isRunning()) {
                m.start();
            }
        }
    }

    private static void join(Thread running, long deadline) {
        try {
            running.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String describe(ScheduleStep step) {
        return step.number() + " " + step.kind() + (step.kind() == FaultKind.KILL || step.kind() == FaultKind.PAUSE
                || step.kind() == FaultKind.ISOLATE_MEMBER || step.kind() == FaultKind.CUT_CLIENTS
                || step.kind() == FaultKind.DEFRAG ? " m" + step.memberIndex() : "")
                + " " + Duration.ofNanos(step.faultNanos()).toMillis() + "ms";
    }

    /** Configures a {@link Nemesis}. Not thread-safe. */
    public static final class Builder {

        private final EtcdCluster cluster;
        private long seed = System.nanoTime();
        private Set<FaultKind> kinds = EnumSet.allOf(FaultKind.class);
        private Duration faultMin = Duration.ofSeconds(1);
        private Duration faultMax = Duration.ofSeconds(5);
        private Duration calmMin = Duration.ofSeconds(1);
        private Duration calmMax = Duration.ofSeconds(3);
        private Consumer<FaultWindow> listener = w -> { };
        private Consumer<String> log = s -> { };

        private Builder(EtcdCluster cluster) {
            this.cluster = cluster;
        }

        /**
         * The seed of every random choice (default: {@link System#nanoTime()}).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Which faults to inject (default: all). Partition kinds are skipped, with one log line, when
         * {@link Partitions#probe()} says they are unavailable.
         *
         * @param kinds the kinds, not empty
         * @return this builder
         * @throws IllegalArgumentException if {@code kinds} is empty
         */
        public Builder kinds(Set<FaultKind> kinds) {
            Objects.requireNonNull(kinds, "kinds");
            if (kinds.isEmpty()) {
                throw new IllegalArgumentException("kinds must not be empty; give at least one FaultKind");
            }
            this.kinds = EnumSet.copyOf(kinds);
            return this;
        }

        /**
         * Bounds of each fault's window (default 1 s to 5 s), chosen uniformly.
         *
         * @param min shortest window, positive
         * @param max longest window, at least {@code min}
         * @return this builder
         * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is below {@code min}
         */
        public Builder faultLength(Duration min, Duration max) {
            requireRange("faultLength", min, max);
            this.faultMin = min;
            this.faultMax = max;
            return this;
        }

        /**
         * Bounds of the calm period before each fault (default 1 s to 3 s), chosen uniformly.
         *
         * @param min shortest calm, positive
         * @param max longest calm, at least {@code min}
         * @return this builder
         * @throws IllegalArgumentException if {@code min} is not positive or {@code max} is below {@code min}
         */
        public Builder calm(Duration min, Duration max) {
            requireRange("calm", min, max);
            this.calmMin = min;
            this.calmMax = max;
            return this;
        }

        /**
         * Called with each window when its fault has been healed (on the nemesis thread; must not block long).
         *
         * @param listener the listener
         * @return this builder
         */
        public Builder listener(Consumer<FaultWindow> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Where human-readable lines go (the schedule, each fault's start and end); default: nowhere.
         *
         * @param log the log sink
         * @return this builder
         */
        public Builder log(Consumer<String> log) {
            this.log = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Builds the nemesis; nothing runs until {@link Nemesis#start()}.
         *
         * @return a new nemesis
         */
        public Nemesis build() {
            return new Nemesis(this);
        }

        private static void requireRange(String name, Duration min, Duration max) {
            Objects.requireNonNull(min, "min");
            Objects.requireNonNull(max, "max");
            if (min.isNegative() || min.isZero()) {
                throw new IllegalArgumentException(name + " min must be positive, got " + min);
            }
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " max (" + max + ") must be at least min (" + min + ")");
            }
        }
    }
}
