package io.etcdkit.lease;

import io.etcdkit.internal.Futures;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Leases: grant, revoke, time-to-live and keep-alive.
 *
 * <p>A lease is a time-to-live shared by the keys written with it ({@code Put.of(k, v).lease(id)}): when it
 * expires or is revoked, etcd deletes those keys. One client keeps all its leases alive on a single
 * keep-alive stream (see {@link KeepAlive} for the timing rules and states).
 *
 * <p>Every operation has a blocking form and a {@code ...Async} form whose future completes on the client's
 * callback executor. Errors are the typed {@link io.etcdkit.EtcdException} subclasses; a lease that does not
 * exist (expired, revoked, or never granted) is a {@link io.etcdkit.LeaseNotFoundException}. Every call has the
 * client's deadline. {@link #grantAsync grant} is a write, retried only when it surely was not applied
 * (otherwise {@link io.etcdkit.OutcomeUnknownException}); revoke, keep-alive, time-to-live and list are
 * harmless to repeat and are retried on transient failures.
 *
 * <p>A client and all its views ({@code withNamespace}, {@code withDeadline}) share one keep-alive stream. Closing
 * the client stops every keep-alive ({@link LeaseState#CLOSED}) and revokes nothing, so the leases expire on the
 * server within their TTLs (revoke them first, e.g. with {@link KeepAlive#revoke()}, to delete their keys at
 * once). Thread-safe.
 */
public interface Leases {

    /**
     * Grants a lease with the given time-to-live. etcd counts in whole seconds: the TTL is rounded up to one,
     * and etcd raises a TTL below its minimum (about 1.5 election timeouts, 2 s with default settings) to that
     * minimum; {@link Lease#ttl()} is what the server granted. A TTL that is not positive is an
     * {@link io.etcdkit.InvalidArgumentException}.
     *
     * @param ttl the time to live
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Lease> grantAsync(Duration ttl);

    /**
     * Blocking form of {@link #grantAsync(Duration)}.
     *
     * @param ttl the time to live
     * @return what {@link #grantAsync(Duration)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default Lease grant(Duration ttl) {
        return Futures.awaitWrite(grantAsync(ttl));
    }

    /**
     * Grants a lease with a chosen id (positive). An id already in use is an
     * {@link io.etcdkit.InvalidArgumentException} (etcd: "lease already exists").
     *
     * @param ttl the time to live
     * @param requestedId the requested id
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Lease> grantAsync(Duration ttl, long requestedId);

    /**
     * Blocking form of {@link #grantAsync(Duration, long)}.
     *
     * @param ttl the time to live
     * @param requestedId the requested id
     * @return what {@link #grantAsync(Duration, long)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default Lease grant(Duration ttl, long requestedId) {
        return Futures.awaitWrite(grantAsync(ttl, requestedId));
    }

    /**
     * Revokes a lease: etcd deletes every key attached to it, and handles of this client that keep it alive
     * become {@link LeaseState#REVOKED}.
     *
     * <p>A lease that does not exist fails with {@link io.etcdkit.LeaseNotFoundException}. Revoking is harmless
     * to repeat, so it is retried on transient failures. If the first attempt may have reached the server (its
     * answer was lost) and a retry then finds the lease gone, the revoke is reported as successful, since an
     * earlier attempt of this same call may have revoked it; either way the lease and its keys are gone.
     *
     * @param id the lease id
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> revokeAsync(long id);

    /**
     * Blocking form of {@link #revokeAsync(long)}.
     *
     * @param id the lease id
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default void revoke(long id) {
        Futures.awaitWrite(revokeAsync(id));
    }

    /**
     * What etcd knows of a lease: its granted and remaining TTL ({@link LeaseInfo#keys()} is empty; see
     * {@link #timeToLiveWithKeysAsync(long)}). An expired, revoked or unknown lease fails with
     * {@link io.etcdkit.LeaseNotFoundException}.
     *
     * @param id the lease's id
     * @return the lease's TTLs
     */
    CompletableFuture<LeaseInfo> timeToLiveAsync(long id);

    /**
     * Blocking form of {@link #timeToLiveAsync(long)}.
     *
     * @param id the lease's id
     * @return the lease's TTLs
     */
    default LeaseInfo timeToLive(long id) {
        return Futures.await(timeToLiveAsync(id));
    }

    /**
     * What etcd knows of a lease, with the keys attached to it (relative to the client's namespace; etcd reads
     * them all, so this costs more on a lease with many keys). An expired, revoked or unknown lease fails with
     * {@link io.etcdkit.LeaseNotFoundException}.
     *
     * @param id the lease's id
     * @return the lease's TTLs and keys
     */
    CompletableFuture<LeaseInfo> timeToLiveWithKeysAsync(long id);

    /**
     * Blocking form of {@link #timeToLiveWithKeysAsync(long)}.
     *
     * @param id the lease's id
     * @return the lease's TTLs and keys
     */
    default LeaseInfo timeToLiveWithKeys(long id) {
        return Futures.await(timeToLiveWithKeysAsync(id));
    }

    /**
     * The ids of all leases in the cluster (granted by any client), in ascending order.
     *
     * @return the ids of all leases in the cluster (granted by any client), in ascending order
     */
    CompletableFuture<List<Long>> listAsync();

    /**
     * Blocking form of {@link #listAsync()}.
     *
     * @return what {@link #listAsync()} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<Long> list() {
        return Futures.await(listAsync());
    }

    /**
     * Renews a lease once (one keep-alive) and returns its TTL, which is then the time left. An expired or
     * unknown lease fails with {@link io.etcdkit.LeaseNotFoundException}.
     *
     * @param id the lease id
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Duration> keepAliveOnceAsync(long id);

    /**
     * Blocking form of {@link #keepAliveOnceAsync(long)}.
     *
     * @param id the lease id
     * @return what {@link #keepAliveOnceAsync(long)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default Duration keepAliveOnce(long id) {
        return Futures.await(keepAliveOnceAsync(id));
    }

    /**
     * Starts keeping a lease alive on the client's shared keep-alive stream until the handle is closed, the
     * lease is revoked, or it is lost (see {@link KeepAlive}). The future completes once a first renewal
     * succeeded, with a handle in state {@link LeaseState#ALIVE}; it fails with
     * {@link io.etcdkit.LeaseNotFoundException} when the lease does not exist, and with the usual errors when the
     * cluster cannot be reached within the deadline. {@code listener}, if not null, is registered before the
     * handle is returned, so it sees every state from the first one on.
     *
     * @param id the lease id
     * @param listener the listener to call
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<KeepAlive> keepAliveAsync(long id, LeaseListener listener);

    /**
     * Blocking form of {@link #keepAliveAsync(long, LeaseListener)}.
     *
     * @param id the lease id
     * @param listener the listener to call
     * @return what {@link #keepAliveAsync(long, LeaseListener)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default KeepAlive keepAlive(long id, LeaseListener listener) {
        return Futures.await(keepAliveAsync(id, listener));
    }

    /**
     * {@link #keepAliveAsync(long, LeaseListener)} without a listener.
     *
     * @param id the lease id
     * @return as {@link #keepAliveAsync(long, LeaseListener)}
     */
    default CompletableFuture<KeepAlive> keepAliveAsync(long id) {
        return keepAliveAsync(id, null);
    }

    /**
     * Blocking form of {@link #keepAliveAsync(long)}.
     *
     * @param id the lease id
     * @return what {@link #keepAliveAsync(long)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default KeepAlive keepAlive(long id) {
        return Futures.await(keepAliveAsync(id, null));
    }

    /**
     * Grants a lease and keeps it alive: {@link #grantAsync(Duration)} then {@link #keepAliveAsync(long,
     * LeaseListener)}. If keeping it alive cannot start, the lease is revoked (best effort) and the future fails.
     *
     * @param ttl the time to live
     * @param listener the listener to call
     * @return a future completed with the result, or exceptionally with the failure
     */
    default CompletableFuture<KeepAlive> grantAndKeepAliveAsync(Duration ttl, LeaseListener listener) {
        return grantAsync(ttl).thenCompose(lease -> keepAliveAsync(lease.id(), listener)
                .whenComplete((k, e) -> {
                    if (e != null) {
                        revokeAsync(lease.id());
                    }
                }));
    }

    /**
     * Blocking form of {@link #grantAndKeepAliveAsync(Duration, LeaseListener)}.
     *
     * @param ttl the time to live
     * @return what {@link #grantAndKeepAliveAsync(Duration, LeaseListener)} completes with
     * @throws io.etcdkit.OutcomeUnknownException when the write may or may not have been applied
     * @throws io.etcdkit.EtcdException when the write failed (a typed subclass says why)
     */
    default KeepAlive grantAndKeepAlive(Duration ttl) {
        return Futures.awaitWrite(grantAndKeepAliveAsync(ttl, null));
    }

    /**
     * Blocking form of {@link #grantAndKeepAliveAsync(Duration, LeaseListener)}.
     *
     * @param ttl the lease's TTL
     * @param listener hears the lease's state changes from its current state on
     * @return the kept-alive lease
     */
    default KeepAlive grantAndKeepAlive(Duration ttl, LeaseListener listener) {
        return Futures.awaitWrite(grantAndKeepAliveAsync(ttl, listener));
    }

    /**
     * {@link #grantAndKeepAliveAsync(Duration, LeaseListener)} without a listener.
     *
     * @param ttl the lease's TTL
     * @return the kept-alive lease, once keeping it alive has started
     */
    default CompletableFuture<KeepAlive> grantAndKeepAliveAsync(Duration ttl) {
        return grantAndKeepAliveAsync(ttl, null);
    }
}
