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
            TxnResult r = session.client().kv().commit(Transaction.always(Range.prefix(waiters).countOnly(),
                    Range.key(ready).countOnly()));
            if (r.rangeResult(1).count() > 0) {
                return true;
            }
            if (r.rangeResult(0).count() >= count) {
                session.client().kv().commit(Transaction.when(Compare.absent(ready)).then(Put.of(ready, Bytes.EMPTY)));
                return true;
            }
            if (!await(Watch.prefix(Bytes.of("etcdkit/double-barrier/" + name + "/")).fromRevision(r.revision() + 1),
                    deadline)) {
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
            TxnResult r = session.client().kv().commit(Transaction.always(Range.prefix(waiters).countOnly()));
            if (r.rangeResult(0).count() == 0) {
                session.client().kv().commit(Transaction.when(Compare.exists(ready))
                        .then(Delete.key(ready)));
                return true;
            }
            if (!await(Watch.prefix(waiters).fromRevision(r.revision() + 1).withoutPuts(), deadline)) {
                return false;
            }
        }
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
