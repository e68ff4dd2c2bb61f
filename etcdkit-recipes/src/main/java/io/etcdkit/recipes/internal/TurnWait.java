package io.etcdkit.recipes.internal;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.SortOrder;
import io.etcdkit.kv.SortTarget;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.internal.PredecessorWaiter.Turn;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.recipes.session.SessionListener;
import io.etcdkit.recipes.session.SessionState;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.ConnectedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;

/**
 * One wait for a turn in a queue, driven by events: no thread is parked. Looks (read-only transactions) and watch
 * events complete {@link #turn}; every step runs on the client's callback executor, the deadline on the
 * {@link Deadlines} thread.
 *
 * <p><b>The look.</b> One transaction reads, at one revision {@code L}, the two newest keys under the prefix
 * created before the waiter's own (the newest is its predecessor {@code P}; a second tells whether {@code P} is the
 * only older key), and the waiter's own key. No older key: the turn is the waiter's. Otherwise it watches {@code P}'s deletes.
 *
 * <p><b>By default</b> (the levers below off) a delete of {@code P} wakes the waiter to look again, linearizably,
 * and the watch starts at the look's revision + 1 (a delete between the look and the watch is replayed): etcd's Go
 * algorithm, one read per hand-off.
 *
 * <p><b>Deciding from the delete event alone</b> ({@value #EVENT_DECISION}). Keys created after {@code L} have create revisions above the
 * waiter's own, so the set of older keys can only shrink after {@code L}. When the look counted exactly one older
 * key, {@code P}'s delete (in any revision, alone or with others) leaves none: the turn is decided from the event,
 * without a read. Whether {@code P} held or was still waiting when it left does not matter. The waiter's own key is
 * covered by a second watcher on it, from "now": the fast decision is taken only once a look at or after that
 * watcher's start found the key, and the watcher has seen no delete of it.
 *
 * With it, an <b>early look</b>: the key before {@code P} is watched too; its delete (usually: {@code P} now holds)
 * triggers one look off the critical path, which usually finds {@code P} to be the only older key.
 *
 * <p><b>A serializable re-check</b> ({@value #SERIALIZABLE_RECHECK}): the look after a wake-up is done at the
 * delete's revision and serializable (the member that sent the event has applied it; the revision's state is
 * history, the same on every member), falling back to a linearizable look when that read fails (compacted, or a
 * lagging member). A compaction of a watched revision also leads to a linearizable look.
 *
 * <p><b>Watches from now</b> ({@value #WATCH_FROM_NOW}). A watch that starts at or below the store's current revision is served by etcd's
 * catch-up loop (up to 100 ms late); watches here start "from now" and their start revision ({@link ConnectedEvent})
 * is compared with the look's: a gap is covered by one more look at the revision before the start.
 *
 * <p>Internal to etcdkit's recipes; not an API.
 */
final class TurnWait implements SessionListener {
    /**
     * The hand-off levers of issue 19, off by default because the bench did not show them (docs/BENCHMARKS.md, "Lock
     * hand-off levers"); each is a system property read when a wait starts, for measuring and for tests.
     */
    static final String EVENT_DECISION = "etcdkit.lock.eventDecision";
    static final String SERIALIZABLE_RECHECK = "etcdkit.lock.serializableRecheck";
    static final String WATCH_FROM_NOW = "etcdkit.lock.watchFromNow";

    final CompletableFuture<Turn> turn = new CompletableFuture<>();
    private final Session session;
    private final String queue;
    private final Bytes prefix;
    private final QueueEntry mine;
    private final long deadlineNanos;
    private final Object lock = new Object(); // guards the fields below; never held across an etcd call
    private int generation;
    private Watcher predecessorWatcher;
    private Watcher earlierWatcher;
    private KeyValue earlier;
    private KeyValue predecessor;
    private long lookRevision;
    private boolean onlyOlder;
    private Watcher ownWatcher;
    private long ownWatchFrom;
    private long ownSeenAt;
    private boolean ownGone;
    private ScheduledFuture<?> timer;
    private final boolean decideFromEvent = Boolean.getBoolean(EVENT_DECISION);
    private final boolean earlyLook = decideFromEvent;
    private final boolean serializableRecheck = Boolean.getBoolean(SERIALIZABLE_RECHECK);
    private final boolean watchFromNow = Boolean.getBoolean(WATCH_FROM_NOW);

    TurnWait(Session session, String queue, Bytes prefix, QueueEntry mine, long deadlineNanos) {
        this.session = session;
        this.queue = queue;
        this.prefix = prefix;
        this.mine = mine;
        this.deadlineNanos = deadlineNanos;
    }

    CompletableFuture<Turn> start() {
        turn.whenComplete((t, e) -> stop());
        session.addListener(this); // told the current state at once: an ended session fails the wait now
        if (!turn.isDone()) {
            look(0, 0);
        }
        return turn;
    }

    @Override
    public void stateChanged(SessionState previous, SessionState current, String reason) {
        if (current.isTerminal()) {
            try {
                session.ensureAlive("waiting in the queue " + prefix.toStringUtf8());
            } catch (SessionExpiredException e) {
                turn.completeExceptionally(e);
            }
        }
    }

    private void stop() {
        session.removeListener(this);
        Watcher p;
        Watcher o;
        Watcher e;
        ScheduledFuture<?> t;
        synchronized (lock) {
            generation++;
            p = predecessorWatcher;
            o = ownWatcher;
            e = earlierWatcher;
            t = timer;
            predecessorWatcher = null;
            ownWatcher = null;
            earlierWatcher = null;
            timer = null;
        }
        if (p != null) {
            p.close();
        }
        if (e != null) {
            e.close();
        }
        if (o != null) {
            o.close();
        }
        if (t != null) {
            t.cancel(false);
        }
    }

    // ---- the look ----------------------------------------------------------------------------------------------

    /**
     * Reads the older keys and the waiter's own key: linearizably when {@code atRevision} is 0, else serializably at
     * that revision. {@code forGeneration} is the watch generation the look belongs to (0: any).
     */
    private void look(long atRevision, int forGeneration) {
        Range older = Range.prefix(prefix).maxCreateRevision(mine.createRevision() - 1)
                .sortBy(SortTarget.CREATE_REVISION, SortOrder.DESCEND).limit(2).keysOnly();
        Range own = Range.key(mine.key()).keysOnly();
        if (atRevision > 0) {
            older = older.atRevision(atRevision).serializable();
            own = own.atRevision(atRevision).serializable();
        }
        CompletableFuture<TxnResult> read;
        try {
            session.ensureAlive("waiting in the queue " + prefix.toStringUtf8());
            read = session.client().kv().commitAsync(Transaction.always(older, own));
        } catch (RuntimeException e) {
            turn.completeExceptionally(e);
            return;
        }
        read.whenComplete((r, e) -> {
            if (turn.isDone()) {
                return;
            }
            if (e != null) {
                if (atRevision > 0) {
                    look(0, forGeneration); // the serializable read at a revision failed: read linearizably
                } else {
                    turn.completeExceptionally(unwrap(e));
                }
                return;
            }
            looked(r, atRevision > 0 ? atRevision : r.revision(), forGeneration);
        });
    }

    private void looked(TxnResult r, long revision, int forGeneration) {
        boolean stillMine = r.rangeResult(1).first().map(k -> k.createRevision() == mine.createRevision())
                .orElse(false);
        if (!stillMine) {
            turn.complete(Turn.KEY_GONE);
            return;
        }
        RangeResult before = r.rangeResult(0);
        if (before.kvs().isEmpty()) {
            turn.complete(Turn.MINE);
            return;
        }
        KeyValue p = before.kvs().get(0);
        // two at most are read: one means the predecessor is the only older key (etcd's count would include the
        // keys the create-revision filter left out, so it cannot tell)
        boolean only = before.kvs().size() == 1;
        KeyValue next = only ? null : before.kvs().get(1);
        Watcher old = null;
        Watcher oldEarlier = null;
        boolean watchEarlier = false;
        boolean newPredecessor = false;
        int gen;
        synchronized (lock) {
            if (turn.isDone() || (forGeneration != 0 && forGeneration != generation)) {
                return; // a newer look or the end overtook this one
            }
            ownSeenAt = Math.max(ownSeenAt, revision);
            if (predecessorWatcher != null && samePredecessor(p)) {
                // a gap check or an early look: the watched predecessor still stands; the older keys can only have
                // become fewer
                lookRevision = Math.max(lookRevision, revision);
                onlyOlder |= only;
                if (only || !sameKey(earlier, next)) {
                    oldEarlier = earlierWatcher;
                    earlierWatcher = null;
                    earlier = next;
                    watchEarlier = next != null && earlyLook;
                }
                gen = generation;
            } else if (System.nanoTime() - deadlineNanos >= 0) {
                gen = -1;
            } else {
                old = predecessorWatcher;
                oldEarlier = earlierWatcher;
                predecessorWatcher = null;
                earlierWatcher = null;
                predecessor = p;
                earlier = next;
                watchEarlier = next != null && earlyLook;
                lookRevision = revision;
                onlyOlder = only;
                gen = ++generation;
                if (timer == null) {
                    timer = Deadlines.at(deadlineNanos, () -> turn.complete(Turn.TIMED_OUT));
                }
                newPredecessor = true;
            }
        }
        if (old != null) {
            old.close();
        }
        if (oldEarlier != null) {
            oldEarlier.close();
        }
        if (gen < 0) {
            turn.complete(Turn.TIMED_OUT);
            return;
        }
        if (newPredecessor) {
            watchPredecessor(p, revision, gen);
        }
        if (watchEarlier) {
            watchEarlier(next, gen);
        }
    }

    private static boolean sameKey(KeyValue a, KeyValue b) {
        return a != null && b != null && a.key().equals(b.key()) && a.createRevision() == b.createRevision();
    }

    // ---- the early look: the key before the predecessor -----------------------------------------------------------

    /**
     * Watches the key created before the predecessor. Its delete usually means the predecessor now holds; one look
     * then, off the critical path, finds whether the predecessor has become the only older key, so that the
     * predecessor's own delete can be decided from the event. Not a wake-up: the waiter's turn does not come with
     * it. A missed or late event only means the read after the predecessor's delete is done as before.
     */
    private void watchEarlier(KeyValue k, int gen) {
        Watcher w;
        try {
            w = session.client().watches().watch(Watch.key(k.key()).withoutPuts(), event -> {
                if (event instanceof DeleteEvent d) {
                    synchronized (lock) {
                        if (gen != generation || turn.isDone() || onlyOlder) {
                            return;
                        }
                    }
                    look(serializableRecheck ? d.revision() : 0, gen);
                }
            });
        } catch (RuntimeException e) {
            return;
        }
        boolean keep;
        synchronized (lock) {
            keep = gen == generation && !turn.isDone() && earlierWatcher == null;
            if (keep) {
                earlierWatcher = w;
            }
        }
        if (!keep) {
            w.close();
        }
    }

    private boolean samePredecessor(KeyValue p) {
        return predecessor != null && predecessor.key().equals(p.key())
                && predecessor.createRevision() == p.createRevision();
    }

    // ---- the predecessor's watch --------------------------------------------------------------------------------

    private void watchPredecessor(KeyValue p, long revision, int gen) {
        boolean firstWatch;
        synchronized (lock) {
            firstWatch = ownWatcher == null && !ownGone;
        }
        if (decideFromEvent && firstWatch) {
            watchOwnKey(); // before the predecessor's, on the same stream: it starts no later than that one
        }
        Watch watch = Watch.key(p.key()).withoutPuts();
        if (!watchFromNow) {
            // from the revision after the look: a delete between the look and the watch is replayed, not missed
            watch = watch.fromRevision(revision + 1);
        }
        Watcher w;
        try {
            w = session.client().watches().watch(watch, event -> onPredecessorEvent(event, gen));
        } catch (RuntimeException e) {
            turn.completeExceptionally(e);
            return;
        }
        boolean current;
        synchronized (lock) {
            current = gen == generation && !turn.isDone();
            if (current) {
                predecessorWatcher = w;
            }
        }
        if (!current) {
            w.close();
        }
    }

    private void onPredecessorEvent(WatchEvent event, int gen) {
        long gapCheckAt = 0;
        boolean decide = false;
        long recheckAt = -1;
        synchronized (lock) {
            if (gen != generation || turn.isDone()) {
                return;
            }
            if (event instanceof ConnectedEvent c) {
                if (c.fromRevision() > lookRevision + 1) {
                    gapCheckAt = c.fromRevision() - 1; // changes in (look, start) are not delivered: look there
                }
            } else if (event instanceof DeleteEvent d) {
                decide = onlyOlder && ownCovered();
                if (!decide) {
                    generation++; // the next look starts a new watch; this one's events are stale from now
                    recheckAt = serializableRecheck ? d.revision() : 0;
                }
            } else if (event instanceof CompactedEvent) {
                generation++;
                recheckAt = 0;
            } else if (event instanceof EndedEvent ended) {
                turn.completeExceptionally(ended.cause() != null ? ended.cause()
                        : new EtcdException("the watch on the predecessor in " + prefix.toStringUtf8() + " ended"));
                return;
            }
        }
        if (gapCheckAt > 0) {
            look(gapCheckAt, gen);
            return;
        }
        if (event instanceof DeleteEvent || event instanceof CompactedEvent) {
            woken();
            if (decide) {
                java.time.Duration left = session.remaining();
                if (!session.state().isTerminal() && !left.isZero() && !left.isNegative()) {
                    turn.complete(Turn.MINE);
                } else {
                    turn.completeExceptionally(new SessionExpiredException("waiting in the queue "
                            + prefix.toStringUtf8() + ": the session's lease is past its deadline"));
                }
            } else {
                int next;
                synchronized (lock) {
                    next = generation;
                }
                look(recheckAt, next);
            }
        }
    }

    // ---- the waiter's own key -----------------------------------------------------------------------------------

    /** Whether the own key is known to stand up to now: watched since a revision a look found it at. Under lock. */
    private boolean ownCovered() {
        return decideFromEvent && ownWatchFrom > 0 && ownSeenAt >= ownWatchFrom - 1 && !ownGone;
    }

    private void watchOwnKey() {
        Watcher w;
        try {
            w = session.client().watches().watch(Watch.key(mine.key()).withoutPuts(), this::onOwnEvent);
        } catch (RuntimeException e) {
            return; // no fast decisions without it
        }
        boolean keep;
        synchronized (lock) {
            keep = !turn.isDone();
            if (keep) {
                ownWatcher = w;
            }
        }
        if (!keep) {
            w.close();
        }
    }

    private void onOwnEvent(WatchEvent event) {
        boolean gone = false;
        synchronized (lock) {
            if (event instanceof ConnectedEvent c) {
                ownWatchFrom = c.fromRevision();
            } else if (event instanceof DeleteEvent) {
                ownGone = true;
                gone = true;
            } else if (event instanceof CompactedEvent || event instanceof EndedEvent) {
                ownGone = true; // cannot tell any more: no fast decisions, the looks decide
            }
        }
        if (gone) {
            turn.complete(Turn.KEY_GONE);
        }
    }

    private void woken() {
        EtcdListener listener = session.client().listener();
        if (listener != EtcdListener.NONE) {
            listener.queueWaiterWoken(queue);
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
