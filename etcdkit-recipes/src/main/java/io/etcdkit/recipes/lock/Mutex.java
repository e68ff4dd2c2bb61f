package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Compare;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;
import java.util.Optional;

/**
 * A fair distributed mutex: FIFO by arrival, each waiter watching only its predecessor, held for as long as its
 * {@link Session} lives.
 *
 * <pre>{@code
 * Mutex mutex = Mutex.of(session, "jobs/reindex");
 * try (HeldLock held = mutex.lock()) {
 *     client.kv().commit(Transaction.when(held.guard()).then(Put.of("jobs/reindex/state", "running")));
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> The holder's key is {@code name/<lease id in hex>}, attached to the session's lease — the
 * layout of etcd's Go concurrency package, so a Java {@code Mutex} and {@code etcdctl lock name} exclude each
 * other.
 *
 * <p><b>Threads and re-entrancy.</b> There is one {@code Mutex} per session and name ({@link #of} returns the
 * same instance), and it is safe to use from many threads: threads of this process queue locally (fairly) and
 * one at a time queue in etcd. It is not re-entrant: a thread that holds it and locks again gets an
 * {@link IllegalStateException}. Any thread may unlock (handles may move between threads in asynchronous code).
 *
 * <p><b>Failures.</b> After waiting, ownership is re-checked (the session may have expired meanwhile:
 * {@link io.etcdkit.recipes.session.SessionExpiredException}). On timeout or interrupt the waiter's key is removed. Unlock is a
 * revision-checked delete: idempotent and safe to retry; it never deletes a successor's key. The lock is
 * released when the session ends, so a crashed holder's lock is free again within the session's TTL.
 */
public final class Mutex implements DistributedLock {
    private final QueuedLock lock;

    private Mutex(Session session, String name) {
        Bytes prefix = Bytes.of(name + "/");
        this.lock = new QueuedLock(session, name, "lock '" + name + "'", prefix, prefix);
    }

    /**
     * The mutex named {@code name} for this session (one instance per session and name).
     *
     * @param session the session to hold it with
     * @param name the name
     * @return the mutex named {@code name} for this session (one instance per session and name)
     */
    public static Mutex of(Session session, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("a lock needs a non-empty name, e.g. \"locks/reindex\"");
        }
        return session.recipe(new Name(name), s -> new Mutex(s, name));
    }

    private record Name(String name) {
    }

    /** The lock's name. */
    @Override
    public String name() {
        return lock.name();
    }

    /** Waits until the lock is held. */
    @Override
    public HeldLock lock() throws InterruptedException {
        return lock.lock();
    }

    /** Waits at most {@code timeout} for the lock; empty on time-out (the waiter's key is then removed). */
    @Override
    public Optional<HeldLock> tryLock(Duration timeout) throws InterruptedException {
        return lock.tryLock(timeout);
    }

    /** Takes the lock only if it is free now (and no one is queued before this session); does not wait. */
    @Override
    public Optional<HeldLock> tryLock() {
        return lock.tryLock();
    }

    /** Like {@link #tryLock(Duration)} but throws {@link LockTimeoutException} on time-out. */
    @Override
    public HeldLock lock(Duration timeout) throws InterruptedException {
        return lock.lock(timeout);
    }

    /**
     * Releases the lock if this mutex holds it; does nothing otherwise. The delete is revision-checked, so it
     * never removes another holder's key. When etcd cannot be reached the error is thrown and the lock stays
     * held (call again); it is released with the session at the latest.
     */
    @Override
    public void unlock() {
        lock.unlock();
    }

    /** Whether this mutex holds the lock and its session is still connected or suspended (not ended). */
    @Override
    public boolean isHeld() {
        return lock.isHeld();
    }

    /** The fencing token of the current hold. */
    @Override
    public long fencingToken() {
        return lock.fencingToken();
    }

    /** The guard compare of the current hold (see {@link HeldLock#guard()}). */
    @Override
    public Compare guard() {
        return lock.guard();
    }

    @Override
    public String toString() {
        return "Mutex[" + lock + "]";
    }
}
