package io.etcdkit.recipes.election;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Transaction;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.internal.Backoff;
import io.etcdkit.recipes.internal.Interrupts;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this process in an election for as long as the latch is open, and tells a listener when it leads and when
 * it must stop: the latch campaigns on its own session, reports {@code isLeader(epoch)}, watches the session, reports
 * {@code notLeader(epoch)} as soon as the session is suspended or ends, and campaigns again with a fresh session after
 * an expiry.
 *
 * <pre>{@code
 * LeaderLatch latch = LeaderLatch.open(client, "services/scheduler", "10.0.0.7:8080", Duration.ofSeconds(10),
 *         new LeaderLatchListener() {
 *             public void isLeader(long epoch) { scheduler.start(epoch); }
 *             public void notLeader(long epoch) { scheduler.stop(); }
 *         });
 * }</pre>
 *
 * <p>Listener calls run one at a time on the latch's own thread (never a client thread), so a listener may block
 * briefly without stalling the client. {@link #close()} resigns, ends the session and reports {@code notLeader}
 * if leading. While the cluster is unreachable the latch keeps trying to open a session (with back-off) until
 * closed. Thread-safe.
 *
 * <p><b>Fencing and waiting.</b> While leading, {@link #fencingToken()} and {@link #guard()} are those of the
 * leadership (the election key's create revision, and a compare that holds only while that key is in place): put
 * the guard into the leader's own transactions so a leader that lost its place (a long GC pause, a partition) has
 * its writes refused. {@link #await()} and {@link #await(Duration)} wait until this process leads.
 *
 * <p>The client's listener ({@link EtcdClient#listener()}) hears {@code leadershipChanged} exactly when the latch's
 * listener hears {@code isLeader} and {@code notLeader}: once per transition, suspensions included.
 */
public final class LeaderLatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderLatch.class);

    private final EtcdClient client;
    private final String name;
    private final String value;
    private final Duration ttl;
    private final LeaderLatchListener listener;
    private final ExecutorService callbacks;
    private final Thread campaigner;
    private final LinkedBlockingQueue<SessionState> sessionChanges = new LinkedBlockingQueue<>();
    private final AtomicLong currentEpoch = new AtomicLong();
    private volatile boolean leading;
    private volatile boolean closed;
    private volatile Leadership current; // while leading
    private final ReentrantLock changes = new ReentrantLock(); // not a monitor: virtual threads may wait in await()
    private final Condition changed = changes.newCondition();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> leadWaiters = new ConcurrentLinkedQueue<>();

    private LeaderLatch(EtcdClient client, String name, String value, Duration ttl, LeaderLatchListener listener) {
        this.client = client;
        this.name = name;
        this.value = value;
        this.ttl = ttl;
        this.listener = listener;
        this.callbacks = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "etcdkit-latch-" + name);
            t.setDaemon(true);
            return t;
        });
        this.campaigner = new Thread(this::campaignLoop, "etcdkit-latch-campaign-" + name);
        this.campaigner.setDaemon(true);
    }

    /**
     * Opens a latch: builds it, then starts campaigning in election {@code name} with {@code value}, on sessions of
     * {@code ttl}. Close it to stop campaigning (and give up leadership).
     *
     * @param client the client
     * @param name the election's name
     * @param value the value to lead with (null: empty)
     * @param ttl the TTL of the latch's sessions
     * @param listener hears leadership gained and lost
     * @return the open latch
     * @throws NullPointerException when {@code client} or {@code listener} is null
     * @throws InvalidArgumentException when the name is empty
     */
    public static LeaderLatch open(EtcdClient client, String name, String value, Duration ttl,
            LeaderLatchListener listener) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("a latch needs a non-empty election name");
        }
        LeaderLatch latch = new LeaderLatch(client, name, value == null ? "" : value, ttl, listener);
        latch.campaigner.start();
        return latch;
    }

    /**
     * Whether this process currently leads (between {@code isLeader} and {@code notLeader}).
     *
     * @return whether it leads now
     */
    public boolean isLeader() {
        return leading;
    }

    /**
     * Curator's name for {@link #isLeader()}.
     *
     * @return whether this process leads now
     */
    public boolean hasLeadership() {
        return leading;
    }

    /**
     * Waits until this process leads.
     *
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when the latch is or gets closed first
     */
    public void await() throws InterruptedException {
        awaitUntil(Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} until this process leads.
     *
     * @param timeout how long to wait
     * @return whether it leads (false when the time ran out)
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when the latch is or gets closed first
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        long now = System.nanoTime();
        long deadline = now + Math.min(timeout.toNanos(), Long.MAX_VALUE / 2);
        return awaitUntil(deadline);
    }

    /**
     * Async twin of {@link #await()}: a future completed when this process leads, without a thread waiting. It
     * completes at once (on the caller) when it leads already; otherwise on the latch's listener thread, right
     * after {@link LeaderLatchListener#isLeader} was called, so keep what you chain on it short or move it to your
     * own executor. It fails with {@link IllegalStateException} when the latch is or gets closed first. It has
     * no time-out of its own: add one with {@link CompletableFuture#orTimeout}; a timed-out or cancelled future is
     * forgotten by the latch.
     *
     * @return a future completed when this process leads
     */
    public CompletableFuture<Void> awaitAsync() {
        if (leading) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> f = new CompletableFuture<>();
        leadWaiters.add(f);
        f.whenComplete((x, e) -> leadWaiters.remove(f));
        // Re-check after adding: leadership or close may have come before the waiter was visible.
        if (leading) {
            f.complete(null);
        } else if (closed) {
            f.completeExceptionally(closedError());
        }
        return f;
    }

    private IllegalStateException closedError() {
        return new IllegalStateException("latch '" + name + "' is closed; it no longer campaigns");
    }

    private boolean awaitUntil(long deadlineNanos) throws InterruptedException {
        changes.lock();
        try {
            while (!leading) {
                if (closed) {
                    throw closedError();
                }
                if (deadlineNanos == Long.MAX_VALUE) {
                    changed.await();
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    changed.awaitNanos(left);
                }
            }
            return true;
        } finally {
            changes.unlock();
        }
    }

    /**
     * The fencing token of the current leadership: the create revision of this process's election key, which grows
     * with every new leadership. Pass it along with writes that others check, or use {@link #guard()}.
     *
     * @return the token
     * @throws NotLeaderException when this process does not lead now (also while its session is suspended)
     */
    public long fencingToken() {
        return leadership().epoch();
    }

    /**
     * A compare that holds only while this leadership's key is still in place: put it in the {@code when} part of
     * your own transactions so etcd refuses the leader's writes once the leadership is lost (for example after a
     * long pause), exactly as {@link Leadership#guard()}.
     *
     * @return the guard compare
     * @throws NotLeaderException when this process does not lead now (also while its session is suspended)
     */
    public Compare guard() {
        return leadership().guard();
    }

    private Leadership leadership() {
        Leadership l = current;
        if (!leading || l == null) {
            throw new NotLeaderException("latch '" + name + "' does not lead now; wait with await() or check "
                    + "isLeader()");
        }
        return l;
    }

    /**
     * The epoch of the current or last leadership, 0 before the first.
     *
     * @return the epoch of the current or last leadership, 0 before the first
     */
    public long epoch() {
        return currentEpoch.get();
    }

    private void campaignLoop() {
        int attempt = 1;
        while (!closed) {
            Session session;
            try {
                session = Session.open(client, ttl);
            } catch (RuntimeException e) {
                LOG.warn("latch '{}': cannot open a session ({}); retrying", name, e.getMessage());
                sleepQuietly(TimeUnit.NANOSECONDS.toMillis(Backoff.RECONNECT.delayNanos(attempt++)));
                continue;
            }
            attempt = 1;
            sessionChanges.clear();
            session.addListener((was, now, why) -> sessionChanges.add(now));
            try {
                Leadership lead = LeaderElection.forLatch(session, name).campaign(value);
                follow(session, lead);
            } catch (InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                if (!closed) {
                    LOG.info("latch '{}': campaign ended ({}); campaigning again", name, e.getMessage());
                }
            } finally {
                if (leading) {
                    report(false);
                }
                Interrupts.cleanUp(session::close); // revoke even when closing interrupted us

            }
        }
    }

    /** Leads until the session ends or the latch closes; reports suspensions. */
    private void follow(Session session, Leadership lead) throws InterruptedException {
        currentEpoch.set(lead.epoch());
        current = lead;
        report(true);
        while (!closed) {
            SessionState s = sessionChanges.poll(1, TimeUnit.SECONDS);
            if (s == null) {
                continue;
            }
            if (s == SessionState.SUSPENDED && leading) {
                report(false);
            } else if (s == SessionState.CONNECTED && !leading) {
                boolean stillOurs;
                try {
                    stillOurs = session.client().kv().commit(Transaction.when(lead.guard())).succeeded();
                } catch (RuntimeException e) {
                    stillOurs = false;
                }
                if (stillOurs) {
                    report(true);
                }
            } else if (s.isTerminal()) {
                return;
            }
        }
        lead.resign();
    }

    private void report(boolean nowLeading) {
        changes.lock();
        try {
            leading = nowLeading;
            changed.signalAll();
        } finally {
            changes.unlock();
        }
        EtcdListener events = client.listener();
        if (events != EtcdListener.NONE) {
            events.leadershipChanged(name, nowLeading);
        }
        long epoch = currentEpoch.get();
        callbacks.execute(() -> {
            try {
                if (nowLeading) {
                    try {
                        listener.isLeader(epoch);
                    } finally {
                        for (CompletableFuture<Void> f; (f = leadWaiters.poll()) != null; ) {
                            f.complete(null);
                        }
                    }
                } else {
                    listener.notLeader(epoch);
                }
            } catch (RuntimeException e) {
                LOG.warn("latch '{}': the listener threw", name, e);
            }
        });
    }

    private void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Resigns, ends the session, reports {@code notLeader} if leading, and stops. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        changes.lock();
        try {
            changed.signalAll(); // waiters in await() learn that the latch closed
        } finally {
            changes.unlock();
        }
        for (CompletableFuture<Void> f; (f = leadWaiters.poll()) != null; ) {
            f.completeExceptionally(closedError()); // awaitAsync() waiters learn it too
        }
        campaigner.interrupt();
        try {
            campaigner.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        callbacks.shutdown();
        try {
            callbacks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
