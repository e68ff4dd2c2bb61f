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
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
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
 * <p><b>Threads.</b> One instance per session and name ({@link #of} returns the same one). A session holds at
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
    private static final int ATTEMPTS = 5;

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
     * name). Stores the limit in etcd if it is not there yet.
     *
     * @param session the session to hold it with
     * @param name the name
     * @param permits the permits
     * @return the semaphore named {@code name} with {@code permits} permits, for this session (one instance per session and name)
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
        Semaphore s = session.recipe(new Name(name), x -> new Semaphore(x, name));
        s.bind(permits);
        return s;
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

    private record Name(String name) {
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
            return Optional.of(slot.hold(entry, this::release, "Permit", startNanos));
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
        Transaction txn = Transaction.when(Compare.absent(limitKey))
                .then(Put.of(limitKey, Bytes.of(Integer.toString(permits))))
                .otherwise(Range.key(limitKey));
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
        TxnResult r = session.client().kv().commit(Transaction.always(Range.key(limitKey),
                Range.prefix(queuePrefix).countOnly()));
        int limit = checkStored(r.rangeResult(0).first(), permits);
        return (int) Math.max(0, limit - r.rangeResult(1).count());
    }


    @Override
    public String toString() {
        QueueEntry e = slot.held();
        return "Semaphore[" + name + ", " + permits + " permits, " + (e != null ? "held, token "
                + e.createRevision() : "not held") + "]";
    }
}
