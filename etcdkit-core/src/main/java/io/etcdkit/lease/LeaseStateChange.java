package io.etcdkit.lease;

import java.util.Objects;

/**
 * A change of state of a kept-alive lease, given to a {@link LeaseListener}.
 *
 * @param leaseId the lease
 * @param previous the state before; equal to {@code current} in the first notification a listener receives,
 *     which tells the state at the time it was registered
 * @param current the new state
 * @param reason why the state changed, for logs (e.g. "no keep-alive answer for 1400 ms")
 */
public record LeaseStateChange(long leaseId, LeaseState previous, LeaseState current, String reason) {
    /**
     * Checks for nulls.
     *
     * @param leaseId the lease id
     * @param previous the previous value
     * @param current the current value
     * @param reason the reason
     */
    public LeaseStateChange {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(reason, "reason");
    }
}
