package io.etcdkit.lease;

/**
 * Told of the state changes of a kept-alive lease.
 *
 * <p>Called on the client's callback executor, never on a transport thread, one call at a time per handle and
 * in the order of the changes. The first call tells the state when the listener was registered
 * ({@code previous == current}); after a terminal state no further calls are made. A listener should return
 * quickly; an exception it throws is logged and otherwise ignored.
 */
@FunctionalInterface
public interface LeaseListener {
    /**
     * The lease's state changed (or, in the first call, is {@code change.current()}).
     *
     * @param change the former and the new state
     */
    void stateChanged(LeaseStateChange change);
}
