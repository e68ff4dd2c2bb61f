package io.etcdkit.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Records the state changes a lease listener is told, with the time each arrived; plus a bounded poll helper. */
final class Recorder implements LeaseListener {
    /** One change and when it was delivered. */
    record Seen(LeaseStateChange change, long atNanos, String thread) {}

    private final List<Seen> seen = new ArrayList<>();

    @Override
    public synchronized void stateChanged(LeaseStateChange change) {
        seen.add(new Seen(change, System.nanoTime(), Thread.currentThread().getName()));
    }

    synchronized List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The states told, in order (the first is the state at registration). */
    synchronized List<LeaseState> states() {
        return seen.stream().map(s -> s.change().current()).toList();
    }

    /** When {@code state} was first told, or -1. */
    synchronized long firstAt(LeaseState state) {
        return seen.stream().filter(s -> s.change().current() == state).mapToLong(Seen::atNanos).findFirst()
                .orElse(-1);
    }

    /** Polls {@code condition} every 50 ms for at most {@code timeout}; whether it became true. */
    static boolean await(Duration timeout, BooleanSupplier condition) {
        try {
            org.awaitility.Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(50))
                    .until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }

    /**
     * Checks {@code invariant} every 100 ms for {@code period}; the description of the first violation, or null.
     */
    static String holdsFor(Duration period, java.util.function.Supplier<String> invariant) {
        long end = System.nanoTime() + period.toNanos();
        while (System.nanoTime() - end < 0) {
            String violation = invariant.get();
            if (violation != null) {
                return violation;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        return invariant.get();
    }
}
