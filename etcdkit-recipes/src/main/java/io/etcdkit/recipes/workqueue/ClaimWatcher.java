package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.KeyEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import io.etcdkit.watch.Watcher;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch per {@link WorkQueue} instance over the queue's whole prefix. It does two things:
 * <ul>
 *   <li><b>Wakes one waiting consumer per queued item.</b> Waiting consumers of this instance stand in a local
 *       line; each put under {@code pending/} wakes the first of them only (a distinct item per wake-up: no herd).
 *       The woken consumer claims from the head of the queue; if another process got there first it waits again.</li>
 *   <li><b>Returns the items of expired claims.</b> etcd sends all changes of one revision together; a claim key
 *       deleted in a revision that did not also change its item was deleted by its lease (an ack deletes the item,
 *       a nack rewrites it in the same transaction). For those, {@link WorkQueue#recoverExpired} runs: an
 *       idempotent transaction, so every watching process may try and exactly one succeeds.</li>
 * </ul>
 */
final class ClaimWatcher implements WatchListener {
    private static final Logger LOG = LoggerFactory.getLogger(ClaimWatcher.class);
    /** Wake-ups given to waiting consumers in this JVM (tests and the bench count these). */
    static final AtomicLong WAKEUPS = new AtomicLong();

    private final WorkQueue queue;
    private final QueueLayout layout;
    private final ConcurrentLinkedDeque<CompletableFuture<String>> waiters = new ConcurrentLinkedDeque<>();
    private final ScheduledExecutorService recovery;
    private final Set<String> claimsDeleted = new HashSet<>();
    private final Set<String> itemsChanged = new HashSet<>();
    private long groupRevision;
    private volatile Watcher watcher;

    private ClaimWatcher(WorkQueue queue) {
        this.queue = queue;
        this.layout = queue.layout();
        this.recovery = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "etcdkit-workqueue-recovery-" + layout.name());
            t.setDaemon(true);
            return t;
        });
    }

    static ClaimWatcher start(WorkQueue queue) {
        ClaimWatcher w = new ClaimWatcher(queue);
        long revision = queue.client().kv().range(io.etcdkit.kv.Range.key(queue.layout().root()).countOnly())
                .revision();
        w.watcher = queue.client().watches().watch(Watch.prefix(queue.layout().root()).fromRevision(revision + 1), w);
        w.recovery.execute(w::sweep); // what expired before anyone watched
        return w;
    }

    /**
     * Enters the line of waiting consumers; the future completes with the id of an item queued for this waiter
     * (null when the queue closes or a wake-up is passed on without one).
     */
    CompletableFuture<String> enterLine() {
        CompletableFuture<String> f = new CompletableFuture<>();
        waiters.addLast(f);
        return f;
    }

    /**
     * Leaves the line. If the waiter had been woken (its future completed) but no longer needs the wake-up, the
     * wake-up passes to the next waiter so that the item it announced is not left without one.
     */
    void leaveLine(CompletableFuture<String> f, boolean usedWakeUp) {
        if (!waiters.remove(f) && !usedWakeUp) {
            wakeOne(f.getNow(null));
        }
    }

    /** Wakes the first waiting consumer, if any. */
    void wakeOne() {
        wakeOne(null);
    }

    private void wakeOne(String id) {
        CompletableFuture<String> next;
        while ((next = waiters.pollFirst()) != null) {
            if (next.complete(id)) {
                WAKEUPS.incrementAndGet();
                queue.client().listener().queueWaiterWoken(layout.name());
                return;
            }
        }
    }

    @Override
    public void onEvent(WatchEvent event) {
        if (event instanceof KeyEvent k) {
            long revision = k instanceof PutEvent p ? p.revision() : ((DeleteEvent) k).revision();
            if (revision != groupRevision) {
                flush();
                groupRevision = revision;
            }
            Bytes key = k.key();
            if (k instanceof PutEvent && key.startsWith(layout.pending())) {
                wakeOne(layout.idOf(key, layout.pending()));
            } else if (k instanceof DeleteEvent && key.startsWith(layout.claims())) {
                claimsDeleted.add(layout.idOf(key, layout.claims()));
            } else if (key.startsWith(layout.items())) {
                itemsChanged.add(layout.idOf(key, layout.items()));
            }
        } else if (event instanceof CompactedEvent || event instanceof ResyncedEvent) {
            recovery.execute(this::sweep); // some deletes may have been missed
        }
    }

    @Override
    public void onCaughtUp() {
        flush();
    }

    private void flush() {
        for (String id : claimsDeleted) {
            if (!itemsChanged.contains(id)) {
                recovery.execute(() -> recover(id));
            }
        }
        claimsDeleted.clear();
        itemsChanged.clear();
    }

    private void recover(String id) {
        try {
            queue.recoverExpired(id);
        } catch (RuntimeException e) {
            LOG.warn("work queue {}: returning item {} after its claim expired failed ({}); sweeping later",
                    layout.name(), id, e.toString());
            recovery.execute(this::sweep);
        }
    }

    private void sweep() {
        try {
            queue.recoverExpiredClaims();
        } catch (RuntimeException e) {
            LOG.warn("work queue {}: sweep for expired claims failed ({}); again in 1 s", layout.name(), e.toString());
            if (!recovery.isShutdown()) {
                recovery.schedule(this::sweep, 1, TimeUnit.SECONDS);
            }
        }
    }

    void close() {
        Watcher w = watcher;
        if (w != null) {
            w.close();
        }
        recovery.shutdownNow();
        CompletableFuture<String> f;
        while ((f = waiters.pollFirst()) != null) {
            f.complete(null);
        }
    }
}
