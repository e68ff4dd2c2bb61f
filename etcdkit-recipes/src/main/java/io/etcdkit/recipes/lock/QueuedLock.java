package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.kv.Compare;
import io.etcdkit.recipes.internal.Interrupts;
import io.etcdkit.recipes.internal.PredecessorWaiter;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock whose key is queued under one prefix and which waits for the keys under another prefix created before
 * it: a mutex when both prefixes are the same, the read side of a read-write lock when it queues under
 * {@code name/read/} and waits for {@code name/write/}, the write side when it queues under {@code name/write/}
 * and waits for all of {@code name/}. The contract is {@link DistributedLock}'s.
 */
final class QueuedLock implements DistributedLock {
    static final Duration FOREVER = Duration.ofDays(3650);

    private final Session session;
    private final String description;
    private final String name;
    private final String reportedName;
    private final Bytes keyPrefix;
    private final Bytes waitPrefix;
    private final SessionSlot slot;
    private final Runnable onFree;
    private volatile QueuedLock sibling;

    /**
     * @param name the lock's name
     * @param reportedName the name the client's listener hears (a read-write lock's sides add {@code /read} and
     *     {@code /write})
     * @param description what the lock is, for messages ("the read lock 'jobs'")
     * @param keyPrefix where this session's key goes ({@code keyPrefix + hex(lease)})
     * @param waitPrefix whose earlier keys must be gone before the lock is held
     */
    QueuedLock(Session session, String name, String reportedName, String description, Bytes keyPrefix,
            Bytes waitPrefix) {
        this(session, name, reportedName, description, keyPrefix, waitPrefix, () -> { });
    }

    /** As above; {@code onFree} runs each time a hold of this lock has been released. */
    QueuedLock(Session session, String name, String reportedName, String description, Bytes keyPrefix,
            Bytes waitPrefix, Runnable onFree) {
        this.onFree = onFree;
        this.session = session;
        this.name = name;
        this.reportedName = reportedName;
        this.description = description;
        this.keyPrefix = keyPrefix;
        this.waitPrefix = waitPrefix;
        this.slot = new SessionSlot(session, reportedName, onFree);
    }

    /** Another lock of the same session that this thread must not hold while taking this one (no upgrades). */
    void excludeHoldersOf(QueuedLock other) {
        this.sibling = other;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public HeldLock lock() throws InterruptedException {
        return tryLock(FOREVER).orElseThrow();
    }

    @Override
    public HeldLock lock(Duration timeout) throws InterruptedException {
        return tryLock(timeout).orElseThrow(() -> timedOut(timeout));
    }

    @Override
    public Optional<HeldLock> tryLock(Duration timeout) throws InterruptedException {
        return acquire(System.nanoTime() + timeout.toNanos(), true);
    }

    @Override
    public Optional<HeldLock> tryLock() {
        try {
            return acquire(System.nanoTime(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public CompletableFuture<HeldLock> lockAsync() {
        return AsyncHolds.map(tryLockAsync(FOREVER), held -> held.orElseThrow());
    }

    @Override
    public CompletableFuture<HeldLock> lockAsync(Duration timeout) {
        return AsyncHolds.map(tryLockAsync(timeout), held -> held.orElseThrow(() -> timedOut(timeout)));
    }

    @Override
    public CompletableFuture<Optional<HeldLock>> tryLockAsync(Duration timeout) {
        return start(System.nanoTime() + timeout.toNanos(), true, null).result;
    }

    @Override
    public CompletableFuture<Optional<HeldLock>> tryLockAsync() {
        return start(System.nanoTime(), false, null).result;
    }

    @Override
    public CompletableFuture<Void> unlockAsync() {
        return slot.releaseAsync(session).thenApply(released -> {
            if (released) {
                onFree.run();
            }
            return null;
        });
    }

    LockTimeoutException timedOut(Duration timeout) {
        return new LockTimeoutException(description + " was not acquired within " + timeout
                + "; other holders kept it. Retry later or wait longer");
    }

    private LockAttempt start(long deadlineNanos, boolean wait, Thread owner) {
        return new LockAttempt(this, session, slot, keyPrefix, waitPrefix, deadlineNanos, wait, owner).start();
    }

    private Optional<HeldLock> acquire(long deadlineNanos, boolean wait) throws InterruptedException {
        Thread me = Thread.currentThread();
        if (slot.isOwnedBy(me)) {
            throw new IllegalStateException(description + " is already held by this thread; it is not re-entrant: "
                    + "unlock first, or keep the HeldLock and reuse it");
        }
        QueuedLock other = sibling;
        if (other != null && other.slot.isOwnedBy(me)) {
            throw new IllegalStateException("this thread holds " + other.description + " and asked for "
                    + description + "; a read-write lock cannot be upgraded or downgraded (it would wait for "
                    + "itself): unlock " + other.description + " first");
        }
        LockAttempt attempt = start(deadlineNanos, wait, me);
        try {
            return PredecessorWaiter.await(attempt.result);
        } catch (InterruptedException e) {
            // the wait was cancelled: return once the key is removed, as the contract says
            Interrupts.cleanUp(() -> attempt.withdrawn.completeOnTimeout(null, WITHDRAW_WAIT_SECONDS,
                    TimeUnit.SECONDS).join());
            throw e;
        } catch (EtcdException e) {
            throw interruptedOr(e, "waiting for " + description);
        }
    }

    private static final long WITHDRAW_WAIT_SECONDS = 10;

    String description() {
        return description;
    }

    String reportedName() {
        return reportedName;
    }

    /**
     * A blocking client call reports an interrupt as an {@link EtcdException} with the interrupt flag set (see
     * {@link Interrupts}); anywhere in an attempt, that becomes the {@link InterruptedException} the API promises;
     * any other failure is returned for the caller to throw.
     */
    static EtcdException interruptedOr(EtcdException e, String what) throws InterruptedException {
        if (Thread.interrupted()) {
            InterruptedException ie = new InterruptedException("interrupted while " + what);
            ie.initCause(e);
            throw ie;
        }
        return e;
    }

    /**
     * Gives up this session's place after a failed attempt, with the interrupt flag cleared meanwhile. With no
     * entry, the join was cut short and the key may exist unknown to us: it is deleted outright, which is safe
     * because the caller's local permit keeps every other attempt of this session away from the key.
     */
    static void abandon(Session session, Bytes prefix, QueueEntry entry) {
        Interrupts.cleanUp(() -> {
            try {
                if (entry != null) {
                    entry.leave(session);
                } else {
                    QueueEntry.abandon(session, prefix);
                }
            } catch (RuntimeException e) {
                cannotRemove(prefix, e);
            }
        });
    }

    /**
     * The key is attached to the lease and goes with the session at the latest; until then it holds a place in the
     * queue, which those waiting behind it must know about.
     */
    static void cannotRemove(Bytes prefix, Throwable e) {
        LOG.warn("could not remove this session's waiting key under {} after a failed, interrupted or cancelled "
                + "attempt; it stays queued until the session ends", prefix.toStringUtf8(), e);
    }

    private static final Logger LOG = LoggerFactory.getLogger(QueuedLock.class);

    /**
     * "pid@host" of this JVM, looked up once: the runtime bean resolves the local host name on every call, a name
     * service lookup that blocked (and, on a virtual thread, pinned its carrier) on every lock attempt.
     */
    private static final String PROCESS = ManagementFactory.getRuntimeMXBean().getName();

    static String holderDescription() {
        return PROCESS + " " + Thread.currentThread().getName();
    }

    @Override
    public void unlock() {
        if (slot.release(session)) {
            onFree.run();
        }
    }

    @Override
    public String toString() {
        QueueEntry e = slot.held();
        return description + (e != null ? " (held, token " + e.createRevision() + ")" : " (not held)");
    }

    @Override
    public boolean isHeld() {
        return slot.held() != null && !session.state().isTerminal();
    }

    @Override
    public long fencingToken() {
        return current().createRevision();
    }

    @Override
    public Compare guard() {
        return current().guard();
    }

    private QueueEntry current() {
        QueueEntry e = slot.held();
        if (e == null) {
            throw new IllegalStateException(description + " is not held by this session");
        }
        return e;
    }

}
