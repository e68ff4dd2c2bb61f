package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the consumers of one {@link WorkQueue} instance from trying to claim the same pending items: a failed claim
 * transaction costs etcd a write all the same, and eight consumers reading the same head collide on most of it.
 * A pending key is reserved while one consumer's claim transaction for it is in flight, and, once claimed, stays
 * known with the claim's revision for a few seconds, so that a consumer whose read of the pending keys is older
 * than the claim skips it instead of trying a transaction that must fail. Consumers in other processes are kept
 * apart by their random start among the oldest items.
 */
final class ClaimReservations {
    private static final long IN_FLIGHT = Long.MAX_VALUE;
    /** How long a claimed key is remembered: far longer than a read of the pending keys takes to be used. */
    private static final long REMEMBER_NANOS = TimeUnit.SECONDS.toNanos(5);

    private record Entry(long revision, long atNanos) {
    }

    private final ConcurrentHashMap<Bytes, Entry> keys = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger untilPurge = new AtomicInteger();

    /**
     * Reserves {@code pendingKey}, seen by a read at {@code readRevision}, for one claim attempt.
     *
     * @return false if another consumer is claiming it, or claimed it after that read
     */
    boolean reserve(Bytes pendingKey, long readRevision) {
        purgeNowAndThen();
        boolean[] won = new boolean[1];
        keys.compute(pendingKey, (k, e) -> {
            if (e != null && (e.revision == IN_FLIGHT || e.revision > readRevision)) {
                return e;
            }
            won[0] = true; // unknown, or claimed before our read saw it pending again (returned since)
            return new Entry(IN_FLIGHT, 0);
        });
        if (won[0]) {
            inFlight.incrementAndGet();
        }
        return won[0];
    }

    /** Ends a reservation; {@code claimedAtRevision} is the claim's revision, or 0 if the claim failed. */
    void release(Bytes pendingKey, long claimedAtRevision) {
        inFlight.decrementAndGet();
        if (claimedAtRevision > 0) {
            keys.put(pendingKey, new Entry(claimedAtRevision, System.nanoTime()));
        } else {
            keys.remove(pendingKey);
        }
    }

    /** {@return how many keys have a claim in flight} */
    int inFlight() {
        return inFlight.get();
    }

    private void purgeNowAndThen() {
        if (untilPurge.incrementAndGet() % 1024 != 0) {
            return;
        }
        long now = System.nanoTime();
        keys.values().removeIf(e -> e.revision != IN_FLIGHT && now - e.atNanos > REMEMBER_NANOS);
    }
}
