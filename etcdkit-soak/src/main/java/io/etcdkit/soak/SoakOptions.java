package io.etcdkit.soak;

import io.etcdkit.testing.nemesis.FaultKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What a soak run does: how long the faults go on, the seed of the nemesis and the workloads, the cluster size,
 * which fault kinds, and where the report goes. Immutable; build with {@link #defaults()} and the withers.
 *
 * @param duration how long faults are injected (the run takes about a minute more: start, heal, checks)
 * @param seed the seed of every random choice (print it; a failing run replays with it)
 * @param members 3 or 5
 * @param kinds the fault kinds to inject (partition kinds are dropped when {@code Partitions.probe()} says no);
 *     empty for a baseline run without faults
 * @param outDir where the text report and the PNG timeline are written; null writes no files
 * @param log where progress lines go
 */
public record SoakOptions(Duration duration, long seed, int members, Set<FaultKind> kinds, Path outDir,
        Consumer<String> log) {
    /**
     * Validates.
     *
     * @throws IllegalArgumentException if the duration is not positive or members is not 3 or 5
     */
    public SoakOptions {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(kinds, "kinds");
        Objects.requireNonNull(log, "log");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the soak duration must be positive, got " + duration);
        }
        if (members != 3 && members != 5) {
            throw new IllegalArgumentException("a soak runs on 3 or 5 members (quorum survives one fault at a "
                    + "time), got " + members);
        }
        kinds = Set.copyOf(kinds);
    }

    /** {@return 2 minutes, seed 1, 3 members, every fault kind, no files, progress to standard error} */
    public static SoakOptions defaults() {
        return new SoakOptions(Duration.ofMinutes(2), 1, 3, EnumSet.allOf(FaultKind.class), null, System.err::println);
    }

    /**
     * With another duration.
     *
     * @param value how long faults are injected
     * @return the new options
     */
    public SoakOptions withDuration(Duration value) {
        return new SoakOptions(value, seed, members, kinds, outDir, log);
    }

    /**
     * With another seed.
     *
     * @param value the seed
     * @return the new options
     */
    public SoakOptions withSeed(long value) {
        return new SoakOptions(duration, value, members, kinds, outDir, log);
    }

    /**
     * With another cluster size.
     *
     * @param value 3 or 5
     * @return the new options
     */
    public SoakOptions withMembers(int value) {
        return new SoakOptions(duration, seed, value, kinds, outDir, log);
    }

    /**
     * With other fault kinds.
     *
     * @param value the kinds
     * @return the new options
     */
    public SoakOptions withKinds(Set<FaultKind> value) {
        return new SoakOptions(duration, seed, members, value, outDir, log);
    }

    /**
     * Writing the report files into a directory.
     *
     * @param value the directory (created if missing)
     * @return the new options
     */
    public SoakOptions withOutDir(Path value) {
        return new SoakOptions(duration, seed, members, kinds, value, log);
    }

    /**
     * With another progress sink.
     *
     * @param value where progress lines go
     * @return the new options
     */
    public SoakOptions withLog(Consumer<String> value) {
        return new SoakOptions(duration, seed, members, kinds, outDir, value);
    }
}
