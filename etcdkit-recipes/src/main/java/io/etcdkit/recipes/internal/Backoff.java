package io.etcdkit.recipes.internal;

import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * An exponential back-off schedule: the delay before attempt {@code n} (1 for the first delayed attempt) has the
 * ceiling {@code min(max, initial * multiplier^(n-1))}, drawn according to {@link Jitter}. Immutable. The one
 * back-off type of the recipes: conflict retries of counters, STM and repositories ({@link #conflicts}, full
 * jitter, which spreads contending writers apart better than a fixed schedule that would make them collide again),
 * re-registration and latch re-campaigns ({@link #RECONNECT}).
 *
 * <p>The same shape as the client's internal {@code io.etcdkit.internal.Backoff}; the recipes use only the public
 * client API, so each module keeps its own. Internal to etcdkit's recipes.
 *
 * @param initial the first ceiling, positive
 * @param max the largest ceiling, at least {@code initial}
 * @param multiplier the growth per attempt, at least 1
 * @param jitter how a delay is drawn below its ceiling
 */
public record Backoff(Duration initial, Duration max, double multiplier, Jitter jitter) {
    /** Re-opening a lost session (re-registration, a latch's next campaign): 100 ms doubling to 5 s, equal jitter. */
    public static final Backoff RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), 2,
            Jitter.EQUAL);

    /** How a delay is drawn below its ceiling {@code c}. */
    public enum Jitter {
        /** Exactly {@code c}. */
        NONE,
        /** Uniform in {@code [c/2, c]}. */
        EQUAL,
        /** Uniform in {@code [0, c]}. */
        FULL
    }

    /**
     * Validates the schedule.
     *
     * @throws NullPointerException when a duration or the jitter is null
     * @throws InvalidArgumentException when {@code initial} is not positive, {@code max} is shorter, or the
     *         multiplier is below 1
     */
    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        Objects.requireNonNull(jitter, "jitter");
        if (initial.isNegative() || initial.isZero()) {
            throw new InvalidArgumentException("the initial back-off must be a positive duration, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new InvalidArgumentException("the maximum back-off (" + max + ") must not be shorter than the "
                    + "initial back-off (" + initial + ")");
        }
        if (!(multiplier >= 1)) {
            throw new InvalidArgumentException("the back-off multiplier must be at least 1, got " + multiplier);
        }
    }

    /**
     * The conflict-retry schedule: full jitter, doubling from {@code initial} up to {@code max}.
     *
     * @param initial the first ceiling
     * @param max the largest ceiling
     * @return the schedule
     */
    public static Backoff conflicts(Duration initial, Duration max) {
        return new Backoff(initial, max, 2, Jitter.FULL);
    }

    /**
     * The ceiling before attempt {@code attempt}.
     *
     * @param attempt 1 for the first delayed attempt; below 1 counts as 1
     * @return {@code min(max, initial * multiplier^(attempt-1))} in nanoseconds
     */
    public long ceilingNanos(int attempt) {
        long maxNanos = max.toNanos();
        double c = initial.toNanos() * Math.pow(multiplier, Math.max(attempt, 1) - 1);
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
