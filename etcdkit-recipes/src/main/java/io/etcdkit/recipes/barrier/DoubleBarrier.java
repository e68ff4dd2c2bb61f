package io.etcdkit.recipes.barrier;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.internal.QueueEntry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A double barrier for {@code count} participants: {@link #enter} waits until {@code count} participants have
 * entered, {@link #leave} waits until all of them have left. Each participant is a key
 * {@code etcdkit/double-barrier/<name>/waiters/<lease>} attached to its session's lease, so <b>a crashed
 * participant counts as having left once its lease expires</b> (within its session TTL): the others are never
 * held forever. The N-th entrant writes {@code .../ready}; the last to leave deletes it.
 *
 * <p>One participant per session and barrier (the key is the session's lease id). Thread-safe.
 */
public final class DoubleBarrier {
    private final Session session;
    private final String name;
    private final int count;
    private final Bytes waiters;
    private final Bytes ready;

    private DoubleBarrier(Session session, String name, int count) {
        this.session = session;
        this.name = name;
        this.count = count;
        Bytes root = Bytes.of("etcdkit/double-barrier/" + name + "/");
        this.waiters = root.concat(Bytes.of("waiters/"));
        this.ready = root.concat(Bytes.of("ready"));
    }

    /**
     * The double barrier {@code name} for {@code count} participants, joined through {@code session}.
     *
     * @param session the participant's session
     * @param name non-empty
     * @param count 1 or more; every participant must use the same count
     * @return the barrier
     * @throws InvalidArgumentException if the name is empty or {@code count < 1}
     */
    public static DoubleBarrier of(Session session, String name, int count) {
        if (name == null || name.isEmpty() || count < 1) {
            throw new InvalidArgumentException("a double barrier needs a non-empty name and a count of at least 1, got "
                    + name + " and " + count);
        }
        return new DoubleBarrier(session, name, count);
    }

    /**
     * Enters: registers this participant and waits until {@code count} have entered.
     *
     * @param timeout how long to wait
     * @return true when all have entered; false at the timeout (this participant stays entered: call
     *     {@link #leave} or close the session)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean enter(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        QueueEntry.join(session, waiters, Bytes.EMPTY);
        while (true) {
            session.ensureAlive("entering double barrier " + name);
            TxnResult r = session.client().kv().commit(entered());
            if (r.rangeResult(1).count() > 0) {
                return true;
            }
            if (r.rangeResult(0).count() >= count) {
                session.client().kv().commit(markReady());
                return true;
            }
            if (!await(enterWatch(r), deadline)) {
                return false;
            }
        }
    }

    /**
     * Leaves: removes this participant and waits until every participant has left (or its lease expired).
     *
     * @param timeout how long to wait
     * @return true when all have left; false at the timeout (this participant has left anyway)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean leave(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        session.client().kv().delete(QueueEntry.keyOf(session, waiters));
        while (true) {
            TxnResult r = session.client().kv().commit(remaining());
            if (r.rangeResult(0).count() == 0) {
                session.client().kv().commit(unmarkReady());
                return true;
            }
            if (!await(leaveWatch(r), deadline)) {
                return false;
            }
        }
    }

    /**
     * Async form of {@link #enter(Duration)}: the same writes and reads, each started from the previous step's
     * callback; the wait is a watch with a timer, so no thread waits.
     *
     * @param timeout how long to wait
     * @return a future of true when all have entered, false at the timeout (this participant stays entered: call
     *     {@link #leaveAsync} or close the session); it fails with
     *     {@link io.etcdkit.recipes.session.SessionExpiredException} when the session has ended, or the client's
     *     errors
     */
    public CompletableFuture<Boolean> enterAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        return QueueEntry.joinAsync(session, waiters, Bytes.EMPTY).thenCompose(joined -> enterUntil(deadline));
    }

    private CompletableFuture<Boolean> enterUntil(long deadline) {
        try {
            session.ensureAlive("entering double barrier " + name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return session.client().kv().commitAsync(entered()).thenCompose(r -> {
            if (r.rangeResult(1).count() > 0) {
                return CompletableFuture.completedFuture(true);
            }
            if (r.rangeResult(0).count() >= count) {
                return session.client().kv().commitAsync(markReady()).thenApply(done -> true);
            }
            return changeAsync(enterWatch(r), deadline).thenCompose(changed ->
                    changed ? enterUntil(deadline) : CompletableFuture.completedFuture(false));
        });
    }

    /**
     * Async form of {@link #leave(Duration)}: the same writes and reads, each started from the previous step's
     * callback; the wait is a watch with a timer, so no thread waits.
     *
     * @param timeout how long to wait
     * @return a future of true when all have left, false at the timeout (this participant has left anyway); it
     *     fails with the client's errors
     */
    public CompletableFuture<Boolean> leaveAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        return session.client().kv().deleteAsync(QueueEntry.keyOf(session, waiters))
                .thenCompose(deleted -> leaveUntil(deadline));
    }

    private CompletableFuture<Boolean> leaveUntil(long deadline) {
        return session.client().kv().commitAsync(remaining()).thenCompose(r -> {
            if (r.rangeResult(0).count() == 0) {
                return session.client().kv().commitAsync(unmarkReady()).thenApply(done -> true);
            }
            return changeAsync(leaveWatch(r), deadline).thenCompose(changed ->
                    changed ? leaveUntil(deadline) : CompletableFuture.completedFuture(false));
        });
    }

    /** The participants and whether the barrier is ready, read at one revision. */
    private Transaction entered() {
        return Transaction.always(Range.prefix(waiters).countOnly(), Range.key(ready).countOnly());
    }

    private Transaction markReady() {
        return Transaction.when(Compare.absent(ready)).then(Put.of(ready, Bytes.EMPTY));
    }

    private Watch enterWatch(TxnResult r) {
        return Watch.prefix(Bytes.of("etcdkit/double-barrier/" + name + "/")).fromRevision(r.revision() + 1);
    }

    /** The participants that have not left. */
    private Transaction remaining() {
        return Transaction.always(Range.prefix(waiters).countOnly());
    }

    private Transaction unmarkReady() {
        return Transaction.when(Compare.exists(ready)).then(Delete.key(ready));
    }

    private Watch leaveWatch(TxnResult r) {
        return Watch.prefix(waiters).fromRevision(r.revision() + 1).withoutPuts();
    }

    /**
     * {@link #await}, without a thread: true when {@code watch} sees a change (or ends: read again), false at the
     * deadline (the JDK's timer thread completes it then); the watch is closed when it completes.
     */
    private CompletableFuture<Boolean> changeAsync(Watch watch, long deadline) {
        if (System.nanoTime() - deadline >= 0) {
            return CompletableFuture.completedFuture(false);
        }
        CompletableFuture<Boolean> changed = new CompletableFuture<>();
        Watcher w;
        try {
            w = session.client().watches().watch(watch, e -> {
                if (e instanceof io.etcdkit.watch.KeyEvent || e instanceof io.etcdkit.watch.CompactedEvent
                        || e instanceof io.etcdkit.watch.EndedEvent) {
                    changed.complete(true);
                }
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        changed.completeOnTimeout(false, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return changed.whenComplete((v, e) -> w.close());
    }

    private boolean await(Watch watch, long deadline) throws InterruptedException {
        if (System.nanoTime() - deadline >= 0) {
            return false;
        }
        CompletableFuture<Void> changed = new CompletableFuture<>();
        Watcher w = session.client().watches().watch(watch, e -> {
            if (e instanceof io.etcdkit.watch.KeyEvent || e instanceof io.etcdkit.watch.CompactedEvent
                    || e instanceof io.etcdkit.watch.EndedEvent) {
                changed.complete(null);
            }
        });
        try {
            changed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true; // read again
        } finally {
            w.close();
        }
    }

    @Override
    public String toString() {
        return "DoubleBarrier[" + name + ", " + count + "]";
    }
}
