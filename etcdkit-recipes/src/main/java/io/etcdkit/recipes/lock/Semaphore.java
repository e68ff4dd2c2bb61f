package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.internal.RankWaiter;
import io.etcdkit.recipes.internal.Retry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fair distributed counting semaphore: at most {@code permits} sessions hold a permit at once, waiters are
 * served in arrival order, and a permit lasts at most as long as its holder's {@link Session}.
 *
 * <pre>{@code
 * Semaphore downloads = Semaphore.of(session, "limits/downloads", 3);
 * try (Permit permit = downloads.acquire()) {
 *     ... at most 3 sessions are here at once ...
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> The limit is stored in etcd at {@code name/limit} (decimal text, no lease: it outlives every
 * session); the first {@link #of} creates it with its {@code permits}. A later {@code of} with another number
 * fails with {@link SemaphoreLimitMismatchException} rather than silently using a limit the caller did not ask
 * for. Every session that wants a permit queues with the key {@code name/queue/<lease id in hex>}, attached to its
 * lease; the first {@code limit} keys by create revision hold permits, the others wait.
 *
 * <p><b>Why the limit is never exceeded.</b> A key is created in a transaction that compares the stored limit
 * with this semaphore's {@code permits}, and is admitted only when a read, made in a transaction that again
 * compares the stored limit and that the key still exists with its create revision {@code c}, finds fewer than
 * {@code limit} keys created before {@code c}. Keys created later get larger revisions, so the number of keys
 * ahead of {@code c} can only shrink: while its key exists an admitted holder stays among the first {@code limit}
 * keys, and at most {@code limit} keys can be among the first {@code limit}. So at every revision at most
 * {@code limit} holders' keys exist, under any race, retry or fail-over. A holder whose key is gone (its session
 * expired) no longer holds, whatever it believes: put {@link Permit#guard()} into writes that depend on the permit.
 *
 * <p><b>Fairness.</b> Only the first waiter watches for releases; every later waiter watches only the key just
 * ahead of it, so a release wakes one or two waiters, not all of them.
 *
 * <p><b>Threads.</b> One instance per session and name while it is in use ({@link #of} returns the same one while
 * anything refers to it — the caller, a permit, a waiter; a name nobody uses costs nothing once its handle is
 * dropped, so semaphores whose names are data do not add up, though each new instance checks the stored limit
 * once). A session holds at
 * most one permit of a semaphore: threads of one session take turns (fairly), and a thread that holds the
 * session's permit and asks again gets an {@link IllegalStateException}. For more permits in one process, open
 * more sessions. Any thread may release. Thread-safe.
 *
 * <p><b>Failures.</b> On time-out or interrupt the waiter's key is removed. Release is a revision-checked delete:
 * idempotent, never removing another holder's key. When the session ends its permit is released; a crashed
 * holder's permit is free again within the session's TTL. An ended session fails with
 * {@link SessionExpiredException}.
 */
public final class Semaphore {
    private static final Duration FOREVER = Duration.ofDays(3650);
    static final int ATTEMPTS = 5;

    private final Session session;
    private final String name;
    private final Bytes limitKey;
    private final Bytes queuePrefix;
    private final SessionSlot slot;
    private final ReentrantLock binding = new ReentrantLock(); // not a monitor: bind() calls etcd
    // Set once by bind(), after the stored limit was found equal (or created): 0 until then.
    private volatile int permits;
    private volatile List<Compare> limitHolds;

    private Semaphore(Session session, String name) {
        this.session = session;
        this.name = name;
        this.limitKey = Bytes.of(name + "/limit");
        this.queuePrefix = Bytes.of(name + "/queue/");
        this.slot = new SessionSlot(session, name);
    }

    /**
     * The semaphore named {@code name} with {@code permits} permits, for this session (one instance per session and
     * name while it is in use). Stores the limit in etcd if it is not there yet.
     *
     * @param session the session to hold it with
     * @param name the name
     * @param permits the permits
     * @return the semaphore named {@code name} with {@code permits} permits, for this session
     * @throws InvalidArgumentException when the name is empty or {@code permits < 1}
     * @throws SemaphoreLimitMismatchException when etcd (or this session) already has another limit for the name
     */
    public static Semaphore of(Session session, String name, int permits) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("a semaphore needs a non-empty name, e.g. \"limits/downloads\"");
        }
        if (permits < 1) {
            throw new InvalidArgumentException("a semaphore needs at least 1 permit, got " + permits);
        }
        Semaphore s = LiveInstances.<Semaphore>of(session, "semaphore").get(name, n -> new Semaphore(session, n));
        s.bind(permits);
        return s;
    }

    /** How many semaphore instances the session keeps (those still referred to); for tests. */
    static int liveInstances(Session session) {
        return LiveInstances.<Semaphore>of(session, "semaphore").size();
    }

    /** Fixes this instance's number of permits, once the stored limit agrees (a failed check fixes nothing). */
    private void bind(int asked) {
        binding.lock();
        try {
            if (permits == 0) {
                ensureStoredLimit(asked);
                limitHolds = List.of(Compare.value(limitKey).equalTo(Integer.toString(asked)));
                permits = asked;
            } else if (permits != asked) {
                throw new SemaphoreLimitMismatchException("this session already uses semaphore '" + name + "' with "
                        + permits + " permits, and now asked for " + asked + "; use one number everywhere");
            }
        } finally {
            binding.unlock();
        }
    }

    /**
     * The semaphore's name.
     *
     * @return the semaphore's name
     */
    public String name() {
        return name;
    }

    /**
     * The number of permits (the limit stored in etcd).
     *
     * @return the number of permits (the limit stored in etcd)
     */
    public int permits() {
        return permits;
    }

    /**
     * Waits as long as it takes for a permit.
     *
     * @return the permit
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Permit acquire() throws InterruptedException {
        return tryAcquire(FOREVER).orElseThrow();
    }

    /**
     * Waits at most {@code timeout} for a permit; empty on time-out (the waiter's key is then removed).
     *
     * @param timeout how long to wait at most
     * @return the permit, or empty if none was had
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public Optional<Permit> tryAcquire(Duration timeout) throws InterruptedException {
        return acquire(System.nanoTime() + timeout.toNanos(), true);
    }

    /**
     * Takes a permit only if one is free now and no one is queued ahead of this session; never waits.
     *
     * @return the permit, or empty if none was had
     */
    public Optional<Permit> tryAcquire() {
        try {
            return acquire(System.nanoTime(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * Like {@link #tryAcquire(Duration)} but throws {@link LockTimeoutException} on time-out.
     *
     * @param timeout how long to wait at most
     * @return the permit
     * @throws InterruptedException if the thread is interrupted while waiting
     * @throws LockTimeoutException when no permit was had within {@code timeout} (the waiter's key was removed)
     */
    public Permit acquire(Duration timeout) throws InterruptedException {
        return tryAcquire(timeout).orElseThrow(() -> timedOut(timeout));
    }

    /**
     * Async twin of {@link #acquire()}: waits without blocking a thread, driven by etcd's answers and watch
     * events. The future completes on the client's callback executor with the permit; it fails with
     * {@link SessionExpiredException} when the session ends first, and with the client's typed
     * {@link EtcdException} when etcd fails. <b>Cancelling it withdraws</b>: the waiter's key is deleted (a permit
     * granted at the same moment is released). While this session holds the permit, a new acquisition waits
     * until it is released (there is no owning thread to refuse, as {@link #acquire()} does).
     *
     * @return a future completed with the permit
     */
    public CompletableFuture<Permit> acquireAsync() {
        return AsyncPermitRequest.orFail(this, new AsyncPermitRequest(this, System.nanoTime() + FOREVER.toNanos(), true)
                .start(), () -> new AssertionError("waited forever"));
    }

    /**
     * Async twin of {@link #acquire(Duration)}: as {@link #acquireAsync()}, failing with
     * {@link LockTimeoutException} when no permit was had within {@code timeout} (the waiter's key is deleted
     * first).
     *
     * @param timeout how long to wait at most
     * @return a future completed with the permit
     */
    public CompletableFuture<Permit> acquireAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return AsyncPermitRequest.orFail(this, tryAcquireAsync(timeout), () -> timedOut(timeout));
    }

    /**
     * Async twin of {@link #tryAcquire(Duration)}: as {@link #acquireAsync()}, completing with empty on time-out
     * once the waiter's key is deleted.
     *
     * @param timeout how long to wait at most
     * @return a future completed with the permit, or empty if none was had in time
     */
    public CompletableFuture<Optional<Permit>> tryAcquireAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return new AsyncPermitRequest(this, System.nanoTime() + timeout.toNanos(), true).start();
    }

    /**
     * Async twin of {@link #tryAcquire()}: a permit only if one is free now and no one is queued ahead of this
     * session; never waits for one.
     *
     * @return a future completed with the permit, or empty if none was free
     */
    public CompletableFuture<Optional<Permit>> tryAcquireAsync() {
        return new AsyncPermitRequest(this, System.nanoTime(), false).start();
    }

    private LockTimeoutException timedOut(Duration timeout) {
        return new LockTimeoutException("no permit of semaphore '" + name + "' was free within " + timeout
                + "; its holders kept them. Retry later or wait longer");
    }

    private Optional<Permit> acquire(long deadlineNanos, boolean wait) throws InterruptedException {
        long startNanos = System.nanoTime();
        if (slot.isOwnedBy(Thread.currentThread())) {
            throw new IllegalStateException("this thread already holds this session's permit of semaphore '" + name
                    + "'; a session holds at most one permit of a semaphore: release it first, or open another "
                    + "session for a second permit");
        }
        if (!slot.enter(deadlineNanos, wait)) {
            return Optional.empty();
        }
        QueueEntry entry = null;
        boolean acquired = false;
        try {
            session.ensureAlive("acquiring a permit of semaphore '" + name + "'");
            RankWaiter.Joined joined = join();
            entry = joined.entry();
            if (!joined.admitted() && !awaitAdmission(entry, deadlineNanos)) {
                return Optional.empty();
            }
            acquired = true;
            return Optional.of(slot.hold(entry, this::release, this::releaseAsync, "Permit", startNanos));
        } catch (EtcdException e) {
            throw QueuedLock.interruptedOr(e, "waiting for a permit of semaphore '" + name + "'");
        } finally {
            if (!acquired) {
                slot.giveUp(session, queuePrefix, entry);
            }
        }
    }

    private RankWaiter.Joined join() {
        Bytes value = Bytes.of(QueuedLock.holderDescription());
        for (int i = 0; i < ATTEMPTS; i++) {
            Optional<RankWaiter.Joined> joined = RankWaiter.join(session, queuePrefix, value, permits, limitHolds);
            if (joined.isPresent()) {
                return joined.get();
            }
            ensureStoredLimit(permits); // deleted: recreated; changed: a mismatch error
        }
        throw limitKeepsChanging();
    }

    private boolean awaitAdmission(QueueEntry entry, long deadlineNanos) throws InterruptedException {
        for (int i = 0; i < ATTEMPTS; i++) {
            switch (RankWaiter.awaitAdmission(session, name, queuePrefix, entry, permits, limitHolds,
                    deadlineNanos)) {
                case ADMITTED:
                    return true;
                case TIMED_OUT:
                    return false;
                case CONDITIONS_FAILED:
                    if (!entry.stillQueued(session)) {
                        session.ensureAlive("semaphore '" + name + "'");
                        throw new SessionExpiredException("semaphore '" + name + "': this session's key "
                                + entry.key() + " vanished while waiting (the lease expired or was revoked); open a "
                                + "new session");
                    }
                    ensureStoredLimit(permits);
                    break;
                default:
                    throw new AssertionError();
            }
        }
        throw limitKeepsChanging();
    }

    private EtcdException limitKeepsChanging() {
        return new EtcdException("semaphore '" + name + "': its limit key " + limitKey + " kept changing while "
                + "acquiring; stop whatever rewrites it, then retry");
    }

    /** Creates the limit key if absent; fails when it holds another number. */
    private void ensureStoredLimit(int permits) {
        Transaction txn = ensureLimitTransaction(permits);
        OutcomeUnknownException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            TxnResult r;
            try {
                r = session.client().kv().commit(txn);
            } catch (OutcomeUnknownException e) {
                last = e; // safe to repeat: it only ever creates the key with this number
                continue;
            }
            if (!r.succeeded()) {
                checkStored(r.rangeResult(0).first(), permits);
            }
            return;
        }
        throw last;
    }

    private Transaction ensureLimitTransaction(int permits) {
        return Transaction.when(Compare.absent(limitKey))
                .then(Put.of(limitKey, Bytes.of(Integer.toString(permits))))
                .otherwise(Range.key(limitKey));
    }

    /** Async form of {@link #ensureStoredLimit}, for this semaphore's bound number of permits. */
    CompletableFuture<Void> ensureStoredLimitAsync() {
        int bound = permits;
        Transaction txn = ensureLimitTransaction(bound);
        // safe to repeat: it only ever creates the key with this number
        return Retry.whenOutcomeUnknown(ATTEMPTS, () -> session.client().kv().commitAsync(txn)).thenAccept(r -> {
            if (!r.succeeded()) {
                checkStored(r.rangeResult(0).first(), bound);
            }
        });
    }

    private int checkStored(Optional<KeyValue> stored, int permits) {
        if (stored.isEmpty()) {
            return permits;
        }
        String text = stored.get().valueAsString();
        int limit;
        try {
            limit = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new SemaphoreLimitMismatchException("semaphore '" + name + "': its limit key " + limitKey
                    + " holds '" + text + "', not a number of permits; this process asked for " + permits
                    + ". Delete the key while no one holds a permit, or write the intended number into it");
        }
        if (limit != permits) {
            throw new SemaphoreLimitMismatchException("semaphore '" + name + "' has " + limit + " permits stored "
                    + "in etcd (key " + limitKey + "), but this process asked for " + permits + "; pass " + limit
                    + " everywhere, or delete " + limitKey + " while no one holds a permit to set a new limit");
        }
        return limit;
    }

    /**
     * Releases this session's permit if it holds one; does nothing otherwise. The delete is revision-checked, so it
     * never removes another holder's key. When etcd cannot be reached the error is thrown and the permit stays held
     * (call again); it is released with the session at the latest.
     */
    public void release() {
        slot.release(session);
    }

    /**
     * Async twin of {@link #release()}: completes on the client's callback executor once this session's permit
     * (if it held one) is released; fails with the client's typed {@link EtcdException} when etcd cannot be
     * reached (the permit then stays held: call again).
     *
     * @return a future completed when released
     */
    public CompletableFuture<Void> releaseAsync() {
        return slot.releaseAsync(session).thenApply(released -> null);
    }

    /**
     * Whether this session holds a permit and the session has not ended.
     *
     * @return whether this session holds a permit and the session has not ended
     */
    public boolean isHeld() {
        return slot.held() != null && !session.state().isTerminal();
    }

    /**
     * The permits free right now: the stored limit less the keys in the queue (holders and waiters), at least 0.
     * A snapshot that may change at once; a crashed holder's permit counts as taken until its lease expires.
     *
     * @return the permits free right now: the stored limit less the keys in the queue (holders and waiters), at least 0
     * @throws SemaphoreLimitMismatchException when the stored limit is not this semaphore's
     */
    public int availablePermits() {
        return freePermits(session.client().kv().commit(availableTransaction()));
    }

    /**
     * Async twin of {@link #availablePermits()}.
     *
     * @return a future completed with the permits free right now
     */
    public CompletableFuture<Integer> availablePermitsAsync() {
        return session.client().kv().commitAsync(availableTransaction()).thenApply(this::freePermits);
    }

    private Transaction availableTransaction() {
        return Transaction.always(Range.key(limitKey), Range.prefix(queuePrefix).countOnly());
    }

    private int freePermits(TxnResult r) {
        int limit = checkStored(r.rangeResult(0).first(), permits);
        return (int) Math.max(0, limit - r.rangeResult(1).count());
    }

    // ---- for AsyncPermitRequest ------------------------------------------------------------------------------

    Session session() {
        return session;
    }

    SessionSlot slot() {
        return slot;
    }

    Bytes queuePrefix() {
        return queuePrefix;
    }

    List<Compare> limitHolds() {
        return limitHolds;
    }

    EtcdException limitKeepsChangingError() {
        return limitKeepsChanging();
    }


    @Override
    public String toString() {
        QueueEntry e = slot.held();
        return "Semaphore[" + name + ", " + permits + " permits, " + (e != null ? "held, token "
                + e.createRevision() : "not held") + "]";
    }
}
