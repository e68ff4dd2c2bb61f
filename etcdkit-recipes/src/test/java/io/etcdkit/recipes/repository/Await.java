package io.etcdkit.recipes.repository;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Bounded polling for the repository tests: no fixed sleeps where a condition can be awaited. */
final class Await {
    private Await() {
    }

    /** Polls {@code condition} every 20 ms for at most {@code timeout}; whether it became true. */
    static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return condition.getAsBoolean();
            }
            Thread.sleep(20);
        }
        return true;
    }
}
