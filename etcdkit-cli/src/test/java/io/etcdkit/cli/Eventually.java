package io.etcdkit.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded waits for conditions in tests, as a boolean for callers that report their own message (Awaitility). */
final class Eventually {
    private Eventually() {
    }

    /** Polls {@code condition} every 50 ms for at most {@code timeout}; whether it became true. */
    static boolean holds(Duration timeout, BooleanSupplier condition) {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
