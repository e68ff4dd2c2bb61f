package io.etcdkit.cli;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for conditions in tests (no fixed sleeps). */
final class Eventually {
    private Eventually() {
    }

    /** Polls {@code condition} every 50 ms for at most {@code timeout}; whether it became true. */
    static boolean holds(Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
