package io.etcdkit.testing.nemesis;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

import io.etcdkit.testing.EtcdCluster;

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

    private final EtcdCluster cluster;
    private final long seed;

    private Nemesis(Builder builder) {
        this.cluster = builder.cluster;
        this.seed = builder.seed;
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
     * Starts the schedule on its own thread.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Stops the schedule: ends the current fault, heals every partition, resumes and restarts members, and waits
     * until the cluster is healthy.
     *
     * @param timeout how long to wait at most for all of it
     * @throws io.etcdkit.testing.EtcdTestingException if the cluster is not healthy in time
     */
    public void stopAndHeal(Duration timeout) {
        throw new UnsupportedOperationException("TODO");
    }

    /**
     * Every fault so far (including the current one, with its end as now), in order.
     *
     * @return an unmodifiable snapshot
     */
    public List<FaultWindow> windows() {
        throw new UnsupportedOperationException("TODO");
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
