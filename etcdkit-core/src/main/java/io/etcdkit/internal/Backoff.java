package io.etcdkit.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An exponential back-off schedule: the delay before attempt {@code n} (1 for the first delayed attempt) has the
 * ceiling {@code min(max, initial * multiplier^(n-1))}, drawn according to {@link Jitter}. Immutable. The one
 * back-off type of the client: request retries ({@link #RETRY}), watch and keep-alive stream reopening
 * ({@link #STREAM_REOPEN}, {@link #WATCH_REOPEN}) and how long a failed member is avoided ({@link #MEMBER_AVOID}).
 * Callers that retry the first time at once (usually on another member) pass {@code failures - 1}.
 *
 * <p>Internal: the recipes module, which uses only the public API, has its own copy of this type
 * ({@code io.etcdkit.recipes.internal.Backoff}) rather than a dependency on this package.
 *
 * @param initialNanos the first ceiling, positive
 * @param maxNanos the largest ceiling, at least {@code initialNanos}
 * @param multiplier the growth per attempt, at least 1
 * @param jitter how a delay is drawn below its ceiling
 */
public record Backoff(long initialNanos, long maxNanos, double multiplier, Jitter jitter) {
    /** Request retries: 25 ms doubling to 1 s, equal jitter. */
    public static final Backoff RETRY = of(Duration.ofMillis(25), Duration.ofSeconds(1), 2, Jitter.EQUAL);
    /** Reopening the lease keep-alive stream: 50 ms doubling to 1 s, equal jitter. */
    public static final Backoff STREAM_REOPEN = of(Duration.ofMillis(50), Duration.ofSeconds(1), 2, Jitter.EQUAL);
    /** Reopening a watch stream: 50 ms doubling to 2 s, equal jitter. */
    public static final Backoff WATCH_REOPEN = of(Duration.ofMillis(50), Duration.ofSeconds(2), 2, Jitter.EQUAL);
    /** Avoiding a member after a transport failure: 250 ms doubling to 10 s, no jitter. */
    public static final Backoff MEMBER_AVOID = of(Duration.ofMillis(250), Duration.ofSeconds(10), 2, Jitter.NONE);

    /** How a delay is drawn below its ceiling {@code c}. */
    public enum Jitter {
        /** Exactly {@code c}. */
        NONE,
        /** Uniform in {@code [c/2, c]}: spread out, yet never much shorter than planned. */
        EQUAL,
        /** Uniform in {@code [0, c]}: spreads contending clients the most. */
        FULL
    }

    /** Checks the schedule. */
    public Backoff {
        Objects.requireNonNull(jitter, "jitter");
        if (initialNanos <= 0 || maxNanos < initialNanos || !(multiplier >= 1)) {
            throw new IllegalArgumentException("a back-off needs 0 < initial <= max and multiplier >= 1, got "
                    + initialNanos + " ns, " + maxNanos + " ns, " + multiplier);
        }
    }

    /**
     * A schedule from durations.
     *
     * @param initial the first ceiling
     * @param max the largest ceiling
     * @param multiplier the growth per attempt
     * @param jitter how a delay is drawn
     * @return the schedule
     */
    public static Backoff of(Duration initial, Duration max, double multiplier, Jitter jitter) {
        return new Backoff(initial.toNanos(), max.toNanos(), multiplier, jitter);
    }

    /**
     * The ceiling before attempt {@code attempt}.
     *
     * @param attempt 1 for the first delayed attempt; below 1 counts as 1
     * @return {@code min(max, initial * multiplier^(attempt-1))} in nanoseconds
     */
    public long ceilingNanos(int attempt) {
        double c = initialNanos * Math.pow(multiplier, Math.max(attempt, 1) - 1);
        return c >= maxNanos ? maxNanos : (long) c;
    }

    /**
     * The delay before attempt {@code attempt}, drawn below its {@linkplain #ceilingNanos ceiling}.
     *
     * @param attempt 1 for the first delayed attempt
     * @return the delay in nanoseconds
     */
    public long delayNanos(int attempt) {
        long c = ceilingNanos(attempt);
        return switch (jitter) {
            case NONE -> c;
            case EQUAL -> c / 2 + ThreadLocalRandom.current().nextLong(c - c / 2 + 1);
            case FULL -> ThreadLocalRandom.current().nextLong(c + 1);
        };
    }
}
