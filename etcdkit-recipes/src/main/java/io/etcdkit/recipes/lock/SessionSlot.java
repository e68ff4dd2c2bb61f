package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.internal.Backoff;
import io.etcdkit.recipes.internal.LocalPermit;
import io.etcdkit.recipes.internal.ObservedHold;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The one place a session has in one queue (a lock's, a semaphore's), as seen inside this process: a fair local
 * permit keeps the session's threads from joining the queue twice, and the slot remembers which entry is held and by
 * which thread. Shared by {@link QueuedLock} and {@link io.etcdkit.recipes.lock.Semaphore}.
 *
 * <p>The client's listener hears {@code lockAcquired} with the wait and {@code lockReleased} with the hold time,
 * once per hold: when it is released, or when its session ends first.
 */
final class SessionSlot {
    private final LocalPermit local = new LocalPermit();
    private final Session session;
    private final String reportedName;
    private final EtcdListener listener;
    private final ReentrantLock releasing = new ReentrantLock(); // not a monitor: release() calls etcd
    private volatile Thread owner;
    private volatile QueueEntry held;
    private volatile ObservedHold observed;
    private final Runnable freedLater;
    /** Pauses between the background deletes of a failed release: 100 ms doubling to 1 s. */
    private static final Backoff RELEASE_RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2,
            Backoff.Jitter.NONE);

    /**
     * @param session the session whose place this is
     * @param reportedName the name the listener hears
     */
    SessionSlot(Session session, String reportedName) {
        this(session, reportedName, () -> { });
    }

    /** As above; {@code freedLater} runs when a release that first failed has completed in the background. */
    SessionSlot(Session session, String reportedName, Runnable freedLater) {
        this.session = session;
        this.reportedName = reportedName;
        this.listener = session.client().listener();
        this.freedLater = freedLater;
    }

    /** Takes the local permit, waiting until {@code deadlineNanos} when {@code wait}; false when it was not free. */
    boolean enter(long deadlineNanos, boolean wait) throws InterruptedException {
        return wait ? local.acquire(deadlineNanos) : local.tryAcquire();
    }

    /** Asks for the local permit without parking a thread; cancel the future to withdraw (see {@link LocalPermit}). */
    CompletableFuture<Void> enterAsync() {
        return local.acquire();
    }

    /** Takes the local permit only if it is free now. */
    boolean tryEnter() {
        return local.tryAcquire();
    }

    /**
     * Records {@code entry} as held by the calling thread; the handle releases it through {@code release}.
     * {@code startNanos} is when the caller asked for it ({@link System#nanoTime()}), for the listener.
     */
    QueueHold hold(QueueEntry entry, Runnable release, Supplier<CompletableFuture<?>> releaseAsync, String kind,
            long startNanos) {
        return hold(entry, release, releaseAsync, kind, startNanos, Thread.currentThread());
    }

    /** As above, for {@code owner} (null: no thread owns it, as after an asynchronous acquisition). */
    QueueHold hold(QueueEntry entry, Runnable release, Supplier<CompletableFuture<?>> releaseAsync, String kind,
            long startNanos, Thread owner) {
        held = entry;
        this.owner = owner;
        if (listener != EtcdListener.NONE) {
            listener.lockAcquired(reportedName, Duration.ofNanos(System.nanoTime() - startNanos));
            observed = ObservedHold.begin(session, nanos -> listener.lockReleased(reportedName,
                    Duration.ofNanos(nanos)));
        }
        return new QueueHold(entry, () -> held, release, releaseAsync, kind);
    }

    /** As {@link #hold}, for an async attempt: no thread owns the hold, any thread may release it. */
    QueueHold holdAsync(QueueEntry entry, Runnable release, Supplier<CompletableFuture<?>> releaseAsync, String kind,
            long startNanos) {
        return hold(entry, release, releaseAsync, kind, startNanos, null);
    }

    /** After a failed attempt (permit taken by {@link #enter}): gives up the queue place and the local permit. */
    void giveUp(Session session, Bytes prefix, QueueEntry entry) {
        QueuedLock.abandon(session, prefix, entry);
        local.release();
    }

    /**
     * After a failed or cancelled asynchronous attempt (permit taken by {@link #enterAsync}): gives up the queue
     * place without parking a thread, then the local permit.
     *
     * @return completes when the key is removed (or could not be: it then goes with the session)
     */
    CompletableFuture<Void> giveUpAsync(Session session, Bytes prefix, QueueEntry entry) {
        CompletableFuture<Void> leaving;
        try {
            leaving = entry != null ? entry.leaveAsync(session) : QueueEntry.abandonAsync(session, prefix);
        } catch (RuntimeException e) {
            leaving = CompletableFuture.failedFuture(e);
        }
        return leaving.handle((v, e) -> {
            if (e != null) {
                QueuedLock.cannotRemove(prefix, e);
            }
            local.release();
            return null;
        });
    }

    /**
     * Undoes {@link #hold} for an asynchronous attempt that was cancelled as it succeeded: the entry is no longer
     * recorded as held (the caller then gives it up with {@link #giveUpAsync}).
     */
    void unhold(QueueEntry entry) {
        if (held == entry) {
            held = null;
            owner = null;
            ObservedHold o = observed;
            if (o != null) {
                observed = null;
                o.end();
            }
        }
    }

    /**
     * Leaves the queue if an entry is held; does nothing otherwise. When etcd cannot be reached the error is
     * thrown, and the release goes on in the background ({@link #releaseLater}): the caller is done with the hold
     * (no thread owns it any more), while the entry keeps this session's place until its key is gone, so the
     * session's next acquisition waits for that (its own timeout bounds the wait) instead of finding its old key.
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
            try {
                e.leave(session);
            } catch (RuntimeException failure) {
                owner = null;
                releaseLater(e, 0);
                throw failure;
            }
            released();
            return true;
        } finally {
            releasing.unlock();
        }
    }

    /**
     * Deletes a released entry's key again after a pause, until it is gone or the session has ended (its lease
     * takes the key then), and frees the slot. Without it, a release that failed once (etcd unreachable for a
     * moment) left the key in etcd for the session's whole life: the lock stayed taken for every other process,
     * and this session's next acquisition was refused as a re-entry.
     */
    private void releaseLater(QueueEntry e, int attempt) {
        if (held != e) {
            return; // released meanwhile (the caller tried again)
        }
        if (session.state().isTerminal()) {
            finishRelease(e);
            return;
        }
        CompletableFuture.delayedExecutor(RELEASE_RETRY.delayNanos(attempt + 1), TimeUnit.NANOSECONDS).execute(() -> {
            CompletableFuture<Void> leaving;
            try {
                leaving = held == e ? e.leaveAsync(session) : CompletableFuture.completedFuture(null);
            } catch (RuntimeException x) {
                leaving = CompletableFuture.failedFuture(x);
            }
            leaving.whenComplete((v, x) -> {
                if (x == null) {
                    finishRelease(e);
                } else {
                    releaseLater(e, attempt + 1);
                }
            });
        });
    }

    private void finishRelease(QueueEntry e) {
        boolean freed = false;
        releasing.lock();
        try {
            if (held == e) {
                released();
                freed = true;
            }
        } finally {
            releasing.unlock();
        }
        if (freed) {
            freedLater.run();
        }
    }

    /**
     * Asynchronous form of {@link #release}: leaves the queue without parking a thread. The key is deleted first;
     * the slot is freed when that is done. A failure fails the future and the release goes on in the background,
     * as with {@link #release}.
     *
     * @return completes with whether this call released a hold, on the client's callback executor
     */
    CompletableFuture<Boolean> releaseAsync(Session session) {
        QueueEntry e = held;
        if (e == null) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Void> leaving;
        try {
            leaving = e.leaveAsync(session);
        } catch (RuntimeException failure) {
            leaving = CompletableFuture.failedFuture(failure);
        }
        return leaving.whenComplete((v, failure) -> {
            if (failure != null) {
                owner = null;
                releaseLater(e, 0); // as release(): the caller hears the failure, the key is deleted later
            }
        }).thenApply(v -> {
            releasing.lock(); // held only for the bookkeeping, never across a call
            try {
                if (held != e) {
                    return false;
                }
                released();
                return true;
            } finally {
                releasing.unlock();
            }
        });
    }

    private void released() {
        held = null;
        owner = null;
        ObservedHold o = observed;
        if (o != null) {
            observed = null;
            o.end();
        }
        local.release();
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
