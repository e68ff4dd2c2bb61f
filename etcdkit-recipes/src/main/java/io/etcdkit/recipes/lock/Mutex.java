package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Compare;
import io.etcdkit.recipes.internal.Interrupts;
import io.etcdkit.recipes.internal.PredecessorWaiter;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

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
 * {@link SessionExpiredException}). On timeout or interrupt the waiter's key is removed. Unlock is a
 * revision-checked delete: idempotent and safe to retry; it never deletes a successor's key. The lock is
 * released when the session ends, so a crashed holder's lock is free again within the session's TTL.
 */
public final class Mutex {
    private static final Duration FOREVER = Duration.ofDays(3650);

    private final Session session;
    private final String name;
    private final Bytes prefix;
    private final Semaphore local = new Semaphore(1, true);
    private volatile Thread owner;
    private volatile QueueEntry held;

    private Mutex(Session session, String name) {
        this.session = session;
        this.name = name;
        this.prefix = Bytes.of(name + "/");
    }

    /** The mutex named {@code name} for this session (one instance per session and name). */
    public static Mutex of(Session session, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("a lock needs a non-empty name, e.g. \"locks/reindex\"");
        }
        return session.recipe(new Name(name), s -> new Mutex(s, name));
    }

    private record Name(String name) {
    }

    /** The lock's name. */
    public String name() {
        return name;
    }

    /** Waits until the lock is held. */
    public HeldLock lock() throws InterruptedException {
        return tryLock(FOREVER).orElseThrow();
    }

    /** Waits at most {@code timeout} for the lock; empty on time-out (the waiter's key is then removed). */
    public Optional<HeldLock> tryLock(Duration timeout) throws InterruptedException {
        return acquire(System.nanoTime() + timeout.toNanos(), true);
    }

    /** Takes the lock only if it is free now (and no one is queued before this session); does not wait. */
    public Optional<HeldLock> tryLock() {
        try {
            return acquire(System.nanoTime(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Like {@link #tryLock(Duration)} but throws {@link LockTimeoutException} on time-out. */
    public HeldLock lock(Duration timeout) throws InterruptedException {
        return tryLock(timeout).orElseThrow(() -> new LockTimeoutException("lock '" + name
                + "' was not acquired within " + timeout + "; another holder kept it"));
    }

    private Optional<HeldLock> acquire(long deadlineNanos, boolean wait) throws InterruptedException {
        if (owner == Thread.currentThread()) {
            throw new IllegalStateException("lock '" + name + "' is already held by this thread; Mutex is not "
                    + "re-entrant: unlock first, or keep the HeldLock and reuse it");
        }
        long left = deadlineNanos - System.nanoTime();
        if (!(wait ? local.tryAcquire(Math.max(0, left), TimeUnit.NANOSECONDS) : local.tryAcquire())) {
            return Optional.empty();
        }
        QueueEntry entry = null;
        boolean acquired = false;
        try {
            session.ensureAlive("lock '" + name + "'");
            entry = Interrupts.call(() -> QueueEntry.join(session, prefix, Bytes.of(holderDescription())));
            boolean turn = entry.isHead() || PredecessorWaiter.awaitTurn(session, prefix, entry.createRevision(),
                    deadlineNanos);
            if (!turn) {
                return Optional.empty();
            }
            QueueEntry joined = entry;
            if (!Interrupts.call(() -> joined.stillQueued(session))) {
                throw new SessionExpiredException("lock '" + name + "': this session's key vanished while waiting "
                        + "(the lease expired or was revoked); open a new session");
            }
            held = entry;
            owner = Thread.currentThread();
            acquired = true;
            return Optional.of(new QueueHold(entry, () -> held, this::unlock, "HeldLock"));
        } finally {
            if (!acquired) {
                QueueEntry leaving = entry;
                Interrupts.cleanUp(() -> {
                    try {
                        if (leaving != null) {
                            leaving.leave(session);
                        } else {
                            // Cut short during the join: the key may exist without our knowing its revision.
                            QueueEntry.abandon(session, prefix);
                        }
                    } catch (RuntimeException e) {
                        // The key is attached to the lease and goes with the session at the latest.
                    }
                });
                local.release();
            }
        }
    }

    private static String holderDescription() {
        return ManagementFactory.getRuntimeMXBean().getName() + " " + Thread.currentThread().getName();
    }

    /**
     * Releases the lock if this mutex holds it; does nothing otherwise. The delete is revision-checked, so it
     * never removes another holder's key. When etcd cannot be reached the error is thrown and the lock stays
     * held (call again); it is released with the session at the latest.
     */
    public void unlock() {
        QueueEntry e = held;
        if (e == null) {
            return;
        }
        synchronized (this) {
            if (held != e) {
                return;
            }
            e.leave(session);
            held = null;
            owner = null;
            local.release();
        }
    }

    /** Whether this mutex holds the lock and its session is still connected or suspended (not ended). */
    public boolean isHeld() {
        return held != null && !session.state().isTerminal();
    }

    /** The fencing token of the current hold. */
    public long fencingToken() {
        return current().createRevision();
    }

    /** The guard compare of the current hold (see {@link HeldLock#guard()}). */
    public Compare guard() {
        return current().guard();
    }

    private QueueEntry current() {
        QueueEntry e = held;
        if (e == null) {
            throw new IllegalStateException("lock '" + name + "' is not held by this mutex");
        }
        return e;
    }


    @Override
    public String toString() {
        return "Mutex[" + name + ", " + (held != null ? "held, token " + held.createRevision() : "not held") + "]";
    }
}
