package io.etcdkit.testing;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded polling of a condition: probe, sleep a short interval, probe again until the deadline.
 *
 * <p>Used for every wait in the harness so that no wait is a fixed sleep. Stateless and thread-safe. An
 * interrupt while waiting restores the interrupt flag and ends the wait as a failure.
 */
final class Poll {

    /** Interval between two probes. */
    static final Duration INTERVAL = Duration.ofMillis(50);

    private Poll() {
    }

    /**
     * Probes until {@code condition} is true or {@code timeout} has passed.
     *
     * @return {@code true} if the condition became true in time
     */
    static boolean until(Duration timeout, BooleanSupplier condition) {
        return value(timeout, () -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty())
                .isPresent();
    }

    /**
     * Probes until {@code probe} yields a value or {@code timeout} has passed. Exceptions thrown by the
     * probe propagate and end the wait.
     *
     * @return the first value, or empty on timeout (or interrupt)
     */
    static <T> Optional<T> value(Duration timeout, Supplier<Optional<T>> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = probe.get();
            if (result.isPresent()) {
                return result;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                Thread.sleep(Math.max(1, Math.min(INTERVAL.toMillis(), left / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }

    /** Time left until {@code deadlineNanos} (a {@link System#nanoTime()} value), never negative. */
    static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    }
}
