package io.etcdkit.recipes.lock;

import io.etcdkit.kv.Compare;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A lock held in etcd through a {@link io.etcdkit.recipes.session.Session}: the read or write side of a
 * {@link ReadWriteLock}.
 *
 * <p><b>Contract.</b> Waiters are served in arrival order (by the create revision of their key). A hold lasts
 * until {@link #unlock()} or until the session ends, whichever comes first, so a crashed holder's lock is free
 * again within the session's TTL. Every acquisition returns a {@link HeldLock} with a fencing token and a guard
 * compare. On time-out or interrupt the waiter's key is removed. Unlock is idempotent and revision-checked: it
 * never removes another holder's key. Methods throw {@link SessionExpiredException} when the session has ended,
 * and the client's {@link io.etcdkit.EtcdException}s when etcd cannot be reached.
 *
 * <p><b>Threads.</b> Thread-safe. One session holds a lock at most once: threads of one session queue locally
 * (fairly) and take turns; a thread that already holds it and asks again gets an {@link IllegalStateException}
 * (not re-entrant). Any thread may unlock.
 *
 * <p><b>Asynchronous forms.</b> Each blocking method has a {@code ...Async} twin returning a
 * {@link CompletableFuture} that completes on the client's callback executor; no thread waits meanwhile, so
 * thousands of acquisitions can be pending on a few threads. Acquisitions of one session still queue locally
 * (fairly) and hold at most once at a time; an asynchronous hold belongs to no thread, so the re-entrancy check of
 * the blocking forms does not see it. <b>Cancelling</b> a pending future ({@code cancel(..)}) withdraws the
 * attempt: its local place is given up and its key deleted; a hold granted just as the cancel came is released.
 * Failures complete the future exceptionally with the exceptions the blocking forms throw.
 */
public interface DistributedLock {

    /**
     * The lock's name, as given to the factory.
     *
     * @return the lock's name, as given to the factory
     */
    String name();

    /**
     * Waits as long as it takes for the lock.
     *
     * @return the held lock
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    HeldLock lock() throws InterruptedException;

    /**
     * Waits at most {@code timeout}; throws {@link LockTimeoutException} on time-out (the waiter's key is removed).
     *
     * @param timeout how long to wait at most
     * @return the held lock
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    HeldLock lock(Duration timeout) throws InterruptedException;

    /**
     * Waits at most {@code timeout}; empty on time-out (the waiter's key is then removed).
     *
     * @param timeout how long to wait at most
     * @return the held lock, or empty if it was not had
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    Optional<HeldLock> tryLock(Duration timeout) throws InterruptedException;

    /**
     * Takes the lock only if it can be had now without waiting for anyone; never waits.
     *
     * @return the held lock, or empty if it was not had
     */
    Optional<HeldLock> tryLock();

    /**
     * Asynchronous form of {@link #lock()}: completes when the lock is held.
     *
     * @return the held lock; cancel it to withdraw
     */
    CompletableFuture<HeldLock> lockAsync();

    /**
     * Asynchronous form of {@link #lock(Duration)}: completes exceptionally with {@link LockTimeoutException} on
     * time-out (the waiter's key is then removed).
     *
     * @param timeout how long to wait at most
     * @return the held lock; cancel it to withdraw
     */
    CompletableFuture<HeldLock> lockAsync(Duration timeout);

    /**
     * Asynchronous form of {@link #tryLock(Duration)}: empty on time-out (the waiter's key is then removed).
     *
     * @param timeout how long to wait at most
     * @return the held lock, or empty if it was not had; cancel it to withdraw
     */
    CompletableFuture<Optional<HeldLock>> tryLockAsync(Duration timeout);

    /**
     * Asynchronous form of {@link #tryLock()}: takes the lock only if it can be had now without waiting for
     * anyone.
     *
     * @return the held lock, or empty if it was not had
     */
    CompletableFuture<Optional<HeldLock>> tryLockAsync();

    /**
     * Asynchronous form of {@link #unlock()}.
     *
     * @return completes when the lock is released (or was not held); exceptionally when etcd cannot be reached
     *     (the lock then stays held: call again)
     */
    CompletableFuture<Void> unlockAsync();

    /**
     * Releases the lock if this session holds it; does nothing otherwise. When etcd cannot be reached the error is
     * thrown and the lock stays held (call again); it is released with the session at the latest.
     */
    void unlock();

    /**
     * Whether this session holds the lock and the session has not ended.
     *
     * @return whether this session holds the lock and the session has not ended
     */
    boolean isHeld();

    /**
     * The fencing token of the current hold; {@link IllegalStateException} when not held.
     *
     * @return the fencing token of the current hold; {@link IllegalStateException} when not held
     */
    long fencingToken();

    /**
     * The guard compare of the current hold (see {@link HeldLock#guard()}); {@link IllegalStateException} if none.
     *
     * @return the guard compare of the current hold (see {@link HeldLock#guard()}); {@link IllegalStateException} if none
     */
    Compare guard();
}
