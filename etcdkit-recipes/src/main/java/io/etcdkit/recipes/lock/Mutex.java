package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Compare;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

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
 * <p><b>Threads and re-entrancy.</b> All {@code Mutex} handles of one session and name are the same lock, and
 * it is safe to use from many threads: threads of this process queue locally (fairly) and one at a time queue
 * in etcd. <b>Memory:</b> a session keeps only the mutexes in use (held, or awaited by a thread); a name nobody
 * uses costs nothing once its handle is dropped, so locks whose names are data (one per job) do not add up. It is not re-entrant: a thread that holds it and locks again gets an
 * {@link IllegalStateException}. Any thread may unlock (handles may move between threads in asynchronous code).
 *
 * <p><b>Failures.</b> After waiting, ownership is re-checked (the session may have expired meanwhile:
 * {@link io.etcdkit.recipes.session.SessionExpiredException}). On timeout or interrupt the waiter's key is removed. Unlock is a
 * revision-checked delete: idempotent and safe to retry; it never deletes a successor's key. The lock is
 * released when the session ends, so a crashed holder's lock is free again within the session's TTL.
 */
public final class Mutex implements DistributedLock {
    private final Session session;
    private final String name;
    private final MutexTable table;
    private final QueuedLock lock;
    /** Uses of this instance (threads taking the lock, and the hold): read and written inside the table only. */
    int users;

    private Mutex(Session session, String name, MutexTable table) {
        this.session = session;
        this.name = name;
        this.table = table;
        Bytes prefix = Bytes.of(name + "/");
        this.lock = new QueuedLock(session, name, name, "lock '" + name + "'", prefix, prefix,
                () -> table.leave(this));
    }

    /**
     * The mutex named {@code name} for this session. While the lock is held or awaited by a thread of this
     * process, every call returns the instance in use; otherwise a new handle, which costs nothing to keep or
     * drop. All handles of one session and name are the same lock.
     *
     * @param session the session the lock's key hangs on
     * @param name the lock's name (its key prefix)
     * @return the mutex
     */
    public static Mutex of(Session session, String name) {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("a lock needs a non-empty name, e.g. \"locks/reindex\"");
        }
        MutexTable table = MutexTable.of(session);
        return table.handle(name, n -> new Mutex(session, n, table));
    }

    /** How many of the session's mutexes are in use (held or awaited); the others are not kept. For tests. */
    static int inUse(Session session) {
        return MutexTable.of(session).size();
    }

    /** The lock's name. */
    @Override
    public String name() {
        return name;
    }

    /** Waits until the lock is held. */
    @Override
    public HeldLock lock() throws InterruptedException {
        Mutex m = table.enter(this);
        return m.held(m.attempt(() -> Optional.of(m.lock.lock()))).orElseThrow();
    }

    /** Waits at most {@code timeout} for the lock; empty on time-out (the waiter's key is then removed). */
    @Override
    public Optional<HeldLock> tryLock(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Mutex m = table.enter(this);
        return m.held(m.attempt(() -> m.lock.tryLock(timeout)));
    }

    /** Takes the lock only if it is free now (and no one is queued before this session); does not wait. */
    @Override
    public Optional<HeldLock> tryLock() {
        Mutex m = table.enter(this);
        try {
            return m.held(m.lock.tryLock());
        } catch (RuntimeException | Error e) {
            table.leave(m);
            throw e;
        }
    }

    /** Like {@link #tryLock(Duration)} but throws {@link LockTimeoutException} on time-out. */
    @Override
    public HeldLock lock(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Mutex m = table.enter(this);
        return m.held(m.attempt(() -> Optional.of(m.lock.lock(timeout)))).orElseThrow();
    }

    /** Asynchronous form of {@link #lock()}; cancelling the future withdraws (the waiter's key is deleted). */
    @Override
    public CompletableFuture<HeldLock> lockAsync() {
        return AsyncHolds.map(attemptAsync(l -> l.tryLockAsync(QueuedLock.FOREVER)), Optional::orElseThrow);
    }

    /**
     * Asynchronous form of {@link #lock(Duration)}: fails with {@link LockTimeoutException} on time-out; cancelling
     * the future withdraws.
     */
    @Override
    public CompletableFuture<HeldLock> lockAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return AsyncHolds.map(attemptAsync(l -> l.tryLockAsync(timeout)),
                held -> held.orElseThrow(() -> lock.timedOut(timeout)));
    }

    /** Asynchronous form of {@link #tryLock(Duration)}; cancelling the future withdraws. */
    @Override
    public CompletableFuture<Optional<HeldLock>> tryLockAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return attemptAsync(l -> l.tryLockAsync(timeout));
    }

    /** Asynchronous form of {@link #tryLock()}. */
    @Override
    public CompletableFuture<Optional<HeldLock>> tryLockAsync() {
        return attemptAsync(QueuedLock::tryLockAsync);
    }

    /** Asynchronous form of {@link #unlock()}. */
    @Override
    public CompletableFuture<Void> unlockAsync() {
        Mutex m = table.current(name);
        return m != null ? m.lock.unlockAsync() : CompletableFuture.completedFuture(null);
    }

    /**
     * Starts an asynchronous attempt of the instance in use; an attempt that ends without a hold ends its use (a
     * hold keeps it until released). The attempt's own future is returned, so a cancel reaches it.
     */
    private CompletableFuture<Optional<HeldLock>> attemptAsync(
            Function<QueuedLock, CompletableFuture<Optional<HeldLock>>> attempt) {
        Mutex m = table.enter(this);
        CompletableFuture<Optional<HeldLock>> f;
        try {
            f = attempt.apply(m.lock);
        } catch (RuntimeException | Error e) {
            table.leave(m);
            throw e;
        }
        f.whenComplete((held, e) -> {
            if (e != null || held.isEmpty()) {
                table.leave(m);
            }
        });
        return f;
    }

    private interface Attempt {
        Optional<HeldLock> run() throws InterruptedException;
    }

    /** Runs an attempt of this (the in-use) instance; a failure ends its use. */
    private Optional<HeldLock> attempt(Attempt attempt) throws InterruptedException {
        try {
            return attempt.run();
        } catch (InterruptedException | RuntimeException | Error e) {
            table.leave(this);
            throw e;
        }
    }

    /** A hold keeps its use until it is released ({@code onFree}); an empty result ends the use now. */
    private Optional<HeldLock> held(Optional<HeldLock> result) {
        if (result.isEmpty()) {
            table.leave(this);
        }
        return result;
    }

    /**
     * Releases the lock if this session holds it; does nothing otherwise. The delete is revision-checked, so it
     * never removes another holder's key. When etcd cannot be reached the error is thrown and the lock stays
     * held (call again); it is released with the session at the latest.
     */
    @Override
    public void unlock() {
        Mutex m = table.current(name);
        if (m != null) {
            m.lock.unlock();
        }
    }

    /** Whether this session holds the lock and the session is still connected or suspended (not ended). */
    @Override
    public boolean isHeld() {
        Mutex m = table.current(name);
        return m != null && m.lock.isHeld();
    }

    /** The fencing token of the current hold. */
    @Override
    public long fencingToken() {
        return inUse().lock.fencingToken();
    }

    /** The guard compare of the current hold (see {@link HeldLock#guard()}). */
    @Override
    public Compare guard() {
        return inUse().lock.guard();
    }

    private Mutex inUse() {
        Mutex m = table.current(name);
        if (m == null) {
            throw new IllegalStateException("lock '" + name + "' is not held by this session");
        }
        return m;
    }

    @Override
    public String toString() {
        Mutex m = table.current(name);
        return "Mutex[" + (m != null ? m.lock : "lock '" + name + "' (not held)") + "]";
    }
}
