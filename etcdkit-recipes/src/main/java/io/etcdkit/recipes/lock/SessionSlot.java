package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.internal.ObservedHold;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place a session has in one queue (a lock's, a semaphore's), as seen inside this process: a fair local
 * permit keeps the session's threads from joining the queue twice, and the slot remembers which entry is held and by
 * which thread. Shared by {@link QueuedLock} and {@link io.etcdkit.recipes.lock.Semaphore}.
 *
 * <p>The client's listener hears {@code lockAcquired} with the wait and {@code lockReleased} with the hold time,
 * once per hold: when it is released, or when its session ends first.
 */
final class SessionSlot {
    private static final Logger LOG = LoggerFactory.getLogger(SessionSlot.class);

    private final LocalTurns local = new LocalTurns();
    private final Session session;
    private final String reportedName;
    private final EtcdListener listener;
    private final ReentrantLock releasing = new ReentrantLock(); // not a monitor: release() calls etcd
    private volatile Thread owner;
    private volatile QueueEntry held;
    private volatile ObservedHold observed;

    /**
     * @param session the session whose place this is
     * @param reportedName the name the listener hears
     */
    SessionSlot(Session session, String reportedName) {
        this.session = session;
        this.reportedName = reportedName;
        this.listener = session.client().listener();
    }

    /** Takes the local permit, waiting until {@code deadlineNanos} when {@code wait}; false when it was not free. */
    boolean enter(long deadlineNanos, boolean wait) throws InterruptedException {
        return wait ? local.take(deadlineNanos) : local.tryTake();
    }

    /**
     * The local permit for an async attempt: completes when it is this attempt's turn; cancelling it leaves the
     * line (see {@link LocalTurns#take()}).
     */
    CompletableFuture<Void> enterAsync() {
        return local.take();
    }

    /** Takes the local permit only if it is free now, for an async attempt that must not wait. */
    boolean tryEnter() {
        return local.tryTake();
    }

    /** As {@link #hold}, for an async attempt: no thread owns the hold, any thread may release it. */
    QueueHold holdAsync(QueueEntry entry, Runnable release, String kind, long startNanos) {
        QueueHold h = hold(entry, release, kind, startNanos);
        owner = null;
        return h;
    }

    /**
     * As {@link #giveUp}, without blocking: removes the entry's key (revision-checked), or with no entry (a join
     * whose outcome is unknown) the session's key outright, then frees the local permit. Never fails: a key that
     * cannot be removed is logged and stays until the session ends.
     */
    CompletableFuture<Void> giveUpAsync(Session session, Bytes prefix, QueueEntry entry) {
        CompletableFuture<?> removed;
        try {
            removed = entry != null ? entry.leaveAsync(session) : QueueEntry.abandonAsync(session, prefix);
        } catch (RuntimeException e) {
            removed = CompletableFuture.failedFuture(e);
        }
        return removed.handle((r, e) -> {
            if (e != null) {
                LOG.warn("could not remove this session's waiting key under {} after a failed, timed-out or "
                        + "cancelled attempt; it stays queued until the session ends", prefix.toStringUtf8(), e);
            }
            local.release();
            return null;
        });
    }

    /**
     * Records {@code entry} as held by the calling thread; the handle releases it through {@code release}.
     * {@code startNanos} is when the caller asked for it ({@link System#nanoTime()}), for the listener.
     */
    QueueHold hold(QueueEntry entry, Runnable release, String kind, long startNanos) {
        held = entry;
        owner = Thread.currentThread();
        if (listener != EtcdListener.NONE) {
            listener.lockAcquired(reportedName, Duration.ofNanos(System.nanoTime() - startNanos));
            observed = ObservedHold.begin(session, nanos -> listener.lockReleased(reportedName,
                    Duration.ofNanos(nanos)));
        }
        return new QueueHold(entry, () -> held, release, kind);
    }

    /** After a failed attempt (permit taken by {@link #enter}): gives up the queue place and the local permit. */
    void giveUp(Session session, Bytes prefix, QueueEntry entry) {
        QueuedLock.abandon(session, prefix, entry);
        local.release();
    }

    /**
     * Leaves the queue if an entry is held; does nothing otherwise. When etcd cannot be reached the error is thrown
     * and the entry stays held (call again).
     *
     * @return whether this call released a hold
     */
    boolean release(Session session) {
        QueueEntry e = held;
        if (e == null) {
            return false;
        }
        releasing.lock();
        try {
            if (held != e) {
                return false;
            }
            e.leave(session);
            held = null;
            owner = null;
            ObservedHold o = observed;
            if (o != null) {
                observed = null;
                o.end();
            }
            local.release();
            return true;
        } finally {
            releasing.unlock();
        }
    }

    /**
     * Async form of {@link #release}: leaves the queue without blocking a thread; completes (on the client's
     * callback executor) with whether this call released a hold, or fails when etcd could not be reached (the
     * entry then stays held: call again).
     */
    CompletableFuture<Boolean> releaseAsync(Session session) {
        QueueEntry e = held;
        if (e == null) {
            return CompletableFuture.completedFuture(false);
        }
        return e.leaveAsync(session).thenApply(left -> {
            ObservedHold o;
            releasing.lock();
            try {
                if (held != e) {
                    return false;
                }
                held = null;
                owner = null;
                o = observed;
                observed = null;
            } finally {
                releasing.unlock();
            }
            if (o != null) {
                o.end();
            }
            local.release(); // outside the lock: it may start the next waiter's attempt on this thread
            return true;
        });
    }

    /** The held entry, or null. */
    QueueEntry held() {
        return held;
    }

    /** Whether {@code thread} holds the entry. */
    boolean isOwnedBy(Thread thread) {
        return owner == thread;
    }
}
