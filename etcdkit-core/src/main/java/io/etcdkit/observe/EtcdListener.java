package io.etcdkit.observe;

import io.etcdkit.lease.LeaseState;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * The one observability SPI of etcdkit: told of every call, member fail-over, watch stream change, lease state
 * change, and of the recipes' own figures. Every method has an empty default, so an implementation overrides only
 * what it needs. Register it with {@link io.etcdkit.EtcdClientBuilder#listener(EtcdListener)}; recipes report
 * through the client they were given ({@link io.etcdkit.EtcdClient#listener()}).
 *
 * <p><b>Threading.</b> Methods are called on etcdkit's own threads (the callback executor or the timer thread),
 * at the moment the event happens, possibly concurrently from several threads. They must be thread-safe, return
 * quickly and never block or call etcd; an exception they throw is logged (once per listener and method) and
 * otherwise ignored, so a broken listener never breaks a call.
 *
 * <p><b>Names.</b> Member names are endpoints as configured ({@code http://host:port}). Recipe names (locks,
 * elections, caches, services) are the keys or prefixes the recipe was given, relative to the client's
 * namespace. Lock and cache names can be data (a lock per job), so a metrics binding should not turn them into
 * tags without a bound.
 */
public interface EtcdListener {
    /** A listener that ignores everything; what {@link io.etcdkit.EtcdClient#listener()} returns by default. */
    EtcdListener NONE = new EtcdListener() {
    };

    // ---- calls and members ----

    /**
     * A unary call starts, on the thread that made it. The returned listener follows that call to its end.
     *
     * @param call which call
     * @return the listener for this call; {@link CallListener#NONE} to ignore it
     */
    default CallListener callStarted(CallInfo call) {
        return CallListener.NONE;
    }

    /**
     * A member failed at the transport level (unreachable, timed out, without leader) and is avoided for a while;
     * calls fail over to the other members.
     *
     * @param member the member's endpoint
     * @param reason what failed, for logs
     */
    default void memberAvoided(String member, String reason) {
    }

    /**
     * A member that was being avoided answered again.
     *
     * @param member the member's endpoint
     */
    default void memberRecovered(String member) {
    }

    // ---- watches ----

    /**
     * A watch stream was established on a member (first connection or reconnection).
     *
     * @param member the member's endpoint
     */
    default void watchStreamConnected(String member) {
    }

    /**
     * A watch stream broke or was moved away from a silent member; its watchers resume elsewhere.
     *
     * @param member the member's endpoint
     * @param reason what happened, for logs
     */
    default void watchStreamDisconnected(String member, String reason) {
    }

    /** A watcher (plain watch or subscription) was opened. */
    default void watcherOpened() {
    }

    /** A watcher was closed or ended. */
    default void watcherClosed() {
    }

    /**
     * Events were handed to a watcher's consumer.
     *
     * @param count how many events (puts and deletes) in this hand-over
     */
    default void watchEventsDelivered(int count) {
    }

    /**
     * A watcher's start revision had been compacted away.
     *
     * @param compactRevision the oldest revision etcd still has
     */
    default void watchCompacted(long compactRevision) {
    }

    /** A subscription re-lists its prefix after compaction and will emit the difference. */
    default void watchResyncStarted() {
    }

    // ---- leases ----

    /**
     * A kept-alive lease changed state (see {@link LeaseState}).
     *
     * @param leaseId the lease
     * @param previous the state before
     * @param current the state now
     */
    default void leaseStateChanged(long leaseId, LeaseState previous, LeaseState current) {
    }

    /**
     * The shared keep-alive stream failed; the leases it carries are renewed once it is re-established.
     *
     * @param reason what failed, for logs
     */
    default void keepAliveFailed(String reason) {
    }

    // ---- recipes ----

    /**
     * A lock (mutex, read or write lock, semaphore permit) was acquired.
     *
     * @param lock the lock's name
     * @param waited how long the caller waited for it
     */
    default void lockAcquired(String lock, Duration waited) {
    }

    /**
     * A lock was released (or lost with its session).
     *
     * @param lock the lock's name
     * @param held how long it was held
     */
    default void lockReleased(String lock, Duration held) {
    }

    /**
     * A waiter of a lock or election queue was woken to check whether its turn has come. A fair queue wakes
     * about one waiter per hand-off; many more means a herd.
     *
     * @param queue the lock's or election's name
     */
    default void queueWaiterWoken(String queue) {
    }

    /**
     * This process won or lost leadership of an election.
     *
     * @param election the election's name
     * @param leader whether it is now the leader
     */
    default void leadershipChanged(String election, boolean leader) {
    }

    /**
     * A cache (cached view or value) was opened. {@code size} may be read at any time until
     * {@link #cacheClosed} and must not be held after it.
     *
     * @param cache the cache's prefix or key
     * @param size the number of entries it holds now
     */
    default void cacheOpened(String cache, IntSupplier size) {
    }

    /**
     * A cache's connection changed: it is stale (serving the last known state) while disconnected.
     *
     * @param cache the cache's prefix or key
     * @param connected whether it is connected and current
     */
    default void cacheConnectionChanged(String cache, boolean connected) {
    }

    /**
     * A cache was closed.
     *
     * @param cache the cache's prefix or key
     */
    default void cacheClosed(String cache) {
    }

    /**
     * The instances of a watched service changed.
     *
     * @param service the service's name
     * @param instances how many instances are registered now
     */
    default void registryChanged(String service, int instances) {
    }
}
