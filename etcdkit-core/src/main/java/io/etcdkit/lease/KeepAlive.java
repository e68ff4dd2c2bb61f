package io.etcdkit.lease;

import io.etcdkit.EtcdException;
import io.etcdkit.internal.Futures;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A lease kept alive by this client, from {@link Leases#keepAlive(long)}.
 *
 * <p>The client keeps every lease it keeps alive on one shared keep-alive stream, renewing each one every third
 * of its TTL. When the stream breaks or stops answering, it is reopened on another member at once (then with
 * jittered back-off) and every lease is renewed immediately.
 *
 * <p><b>Deadline and states.</b> A renewal answered by etcd proves the lease lives at least one TTL from when
 * the keep-alive was <em>sent</em>; that instant plus the TTL is the handle's conservative deadline
 * ({@link #remaining()}). A lost lease is never silent: the handle becomes {@link LeaseState#AT_RISK} when the
 * deadline is less than a third of the TTL away without a newer renewal, {@link LeaseState#EXPIRED} when etcd
 * answers that the lease is unknown (it expired or someone else revoked it) or when no renewal was answered for
 * a whole TTL after the last answer (so the server has dropped it). See {@link LeaseState} for the graph.
 * Listeners hear each change on the client's callback executor.
 *
 * <p>Closing the handle stops keeping the lease alive without revoking it; {@link #revoke()} revokes it. Closing
 * the client closes every handle (state {@link LeaseState#CLOSED}) and revokes nothing. Thread-safe.
 */
public interface KeepAlive extends AutoCloseable {

    /**
     * The lease id.
     *
     * @return the lease id
     */
    long id();

    /**
     * The current state.
     *
     * @return the current state
     */
    LeaseState state();

    /**
     * The lease's TTL as the server last reported it.
     *
     * @return the lease's TTL as the server last reported it
     */
    Duration ttl();

    /**
     * The time left until the conservative deadline: the send time of the last answered keep-alive plus the TTL,
     * minus now. Zero when the deadline passed or the handle is in a terminal state.
     *
     * @return the time left until the conservative deadline: the send time of the last answered keep-alive plus the TTL, minus now
     */
    Duration remaining();

    /**
     * The last error of the keep-alive stream that affected this lease (member unreachable, no leader, stream
     * not answering), if any since the handle was created; kept after the stream recovers, for diagnosis.
     *
     * @return the last error of the keep-alive stream that affected this lease (member unreachable, no leader, stream not answering), if any since the handle was created; kept after the stream recovers, for diagnosis
     */
    Optional<EtcdException> lastError();

    /**
     * Registers a listener. It is first told the current state (with {@code previous == current}), then every
     * change, on the callback executor, one call at a time. A listener added to a handle in a terminal state
     * is told that state once.
     *
     * @param listener the listener to call
     */
    void addListener(LeaseListener listener);

    /**
     * Removes a listener; calls already queued for it may still run.
     *
     * @param listener the listener to call
     */
    void removeListener(LeaseListener listener);

    /**
     * Completes (on the callback executor) with the terminal state — {@link LeaseState#EXPIRED},
     * {@link LeaseState#REVOKED} or {@link LeaseState#CLOSED} — once the handle reaches it. Completing or
     * cancelling the returned future has no effect on the handle.
     *
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<LeaseState> terminated();

    /**
     * Waits at most {@code timeout} until the handle is in {@code state}. Returns true at once when it already
     * is, false on time-out or when the handle reached a different terminal state (it can then never get
     * there). Parks without pinning a virtual thread.
     *
     * @param state the state
     * @param timeout how long to wait at most
     * @return {@code true} if the handle reached {@code state} in time, {@code false} on time-out
     */
    boolean awaitState(LeaseState state, Duration timeout);

    /**
     * Stops keeping the lease alive and revokes it, so its keys are deleted at once. The handle becomes
     * {@link LeaseState#REVOKED}; a lease that is already gone (expired, revoked elsewhere) counts as revoked.
     * If the revoke fails (e.g. the cluster is unreachable) the future fails with the error and the handle is
     * {@link LeaseState#CLOSED}: the lease then expires on its own within its TTL.
     *
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> revokeAsync();

    /** Blocking form of {@link #revokeAsync()}. */
    default void revoke() {
        Futures.await(revokeAsync());
    }

    /**
     * Stops keeping the lease alive; does not revoke it (it expires on the server within its TTL unless kept
     * alive elsewhere). The handle becomes {@link LeaseState#CLOSED} unless already terminal. Idempotent.
     */
    @Override
    void close();
}
