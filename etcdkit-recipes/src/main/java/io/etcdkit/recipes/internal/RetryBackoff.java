package io.etcdkit.recipes.internal;

import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with full jitter: before retry {@code n} (1-based) wait a uniformly random time in
 * {@code [0, min(max, initial * 2^(n-1))]}. Full jitter spreads contending writers apart better than a fixed
 * schedule, which would make them collide again on the next attempt. Internal to etcdkit's recipes.
 *
 * @param initial the ceiling of the first delay
 * @param max the largest ceiling
 */
public record RetryBackoff(Duration initial, Duration max) {

    /** Validates the durations. */
    public RetryBackoff {
        if (initial == null || max == null || initial.isNegative() || initial.isZero()) {
            throw new InvalidArgumentException("the initial back-off must be a positive duration, got " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new InvalidArgumentException("the maximum back-off (" + max + ") must not be shorter than the "
                    + "initial back-off (" + initial + ")");
        }
    }

    /** The delay before retry {@code retry} (1 for the first retry), in nanoseconds. */
    public long delayNanos(int retry) {
        int doublings = Math.min(Math.max(retry - 1, 0), 30);
        long ceiling = initial.toNanos() << doublings;
        if (ceiling <= 0 || ceiling > max.toNanos()) {
            ceiling = max.toNanos();
        }
        return ThreadLocalRandom.current().nextLong(ceiling + 1);
    }
}
