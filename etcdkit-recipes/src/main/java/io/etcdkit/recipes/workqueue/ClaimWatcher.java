package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.KeyEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import io.etcdkit.watch.Watcher;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One watch per {@link WorkQueue} instance over the queue's whole prefix. It does two things:
 * <ul>
 *   <li><b>Wakes one waiting consumer per queued item, across processes.</b> A waiting consumer has a key under
 *       {@code waiters/} (under its session's lease). Every instance keeps the line of waiter keys from its watch,
 *       ordered by create revision; each put under {@code pending/} takes the first waiter off the line, and the
 *       instance that owns it wakes it. The watch delivers the same changes in the same order to every instance,
 *       so all agree on who was woken: one wake-up per item among all processes (no herd). A woken consumer
 *       deletes its key and claims from the head of the queue; if a busy consumer got there first it waits
 *       again (a new key, at the back of the line). A wake-up that reaches one of this instance's waiters after it
 *       left the line (its delete not seen yet), or that its consumer will not use, is passed on: the item's
 *       pending key is written again unchanged, which every instance treats as a newly queued item.</li>
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
    /** This instance's waiting consumers by waiter key. */
    private final ConcurrentHashMap<Bytes, CompletableFuture<String>> local = new ConcurrentHashMap<>();
    /** The line of all processes' waiters not woken yet, by create revision (guarded by itself). */
    private final TreeMap<Long, Bytes> line = new TreeMap<>();
    private final Map<Bytes, Long> lineRevisions = new HashMap<>();
    /** Waiter keys of this instance that left the line but whose deletes the watch has not shown yet. */
    private final Set<Bytes> departed = new HashSet<>();
    private final ScheduledExecutorService recovery;
    private final Set<String> claimsDeleted = new HashSet<>();
    private final Set<String> itemsChanged = new HashSet<>();
    private long groupRevision;
    private volatile Watcher watcher;
    private volatile boolean closed;

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
        w.watchFromNow();
        w.recovery.execute(w::sweep); // what expired before anyone watched
        return w;
    }

    /**
     * Reads the line of waiters and watches the queue from that revision on. The waiters already in line may
     * include some woken already whose keys are not deleted yet: each of those takes one wake-up at most.
     */
    private void watchFromNow() {
        RangeResult waiting = queue.client().kv().range(Range.prefix(layout.waiters()).keysOnly());
        synchronized (line) {
            line.clear();
            lineRevisions.clear();
            waiting.kvs().forEach(kv -> joined(kv.key(), kv.createRevision()));
            departed.retainAll(lineRevisions.keySet()); // the others' deletes happened while nobody watched
        }
        watcher = queue.client().watches().watch(Watch.prefix(layout.root()).fromRevision(waiting.revision() + 1),
                this);
    }

    /**
     * After the watch ended (compaction past it, or a failure it could not resume from): a new watch and line,
     * every waiting consumer of this instance woken to read again, and a sweep for claims that expired unseen.
     */
    private void restart() {
        if (closed) {
            return;
        }
        try {
            watchFromNow();
            local.values().forEach(f -> f.complete(null));
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("work queue {}: restarting its watch failed ({}); again in 1 s", layout.name(), e.toString());
            if (!recovery.isShutdown()) {
                recovery.schedule(this::restart, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** A consumer standing in the line: its key, and the future its wake-up completes with the item's id. */
    record Waiter(Bytes key, CompletableFuture<String> woken) {
    }

    /**
     * Puts a waiter key for a consumer of {@code session} at the back of the line.
     *
     * @throws RuntimeException what the put threw (the consumer then does not wait)
     */
    Waiter register(Session session) {
        Waiter w = newWaiter();
        try {
            queue.client().kv().put(Put.of(w.key(), Bytes.EMPTY).lease(session.leaseId()));
        } catch (RuntimeException e) {
            unregister(w, true); // the put may have applied (a lost answer): the key must not stay in line
            throw e;
        }
        return w;
    }

    /** {@link #register}, the key put asynchronously: the future fails with what the put failed with. */
    CompletableFuture<Waiter> registerAsync(Session session) {
        Waiter w = newWaiter();
        CompletableFuture<Waiter> registered;
        try {
            registered = queue.client().kv().putAsync(Put.of(w.key(), Bytes.EMPTY).lease(session.leaseId()))
                    .thenApply(r -> w);
        } catch (RuntimeException e) {
            registered = CompletableFuture.failedFuture(e);
        }
        return registered.whenComplete((ok, e) -> {
            if (e != null) {
                unregister(w, true); // the put may have applied (a lost answer): the key must not stay in line
            }
        });
    }

    /** A waiter with a fresh key, already known locally (so a wake-up that beats the put's answer finds it). */
    private Waiter newWaiter() {
        Bytes key = layout.waiter(Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE));
        Waiter w = new Waiter(key, new CompletableFuture<>());
        local.put(key, w.woken());
        return w;
    }

    /**
     * Takes a waiter out of the line (its key is deleted in the background; its lease removes it otherwise). Until
     * every instance has seen the delete, the line still holds the key: an item that reaches it meanwhile is passed
     * on to the next waiter ({@link #wakeFirst}). A wake-up the waiter received is passed on too, unless
     * {@code looksAgain} (its consumer reads the head of the queue once more, which serves the wake-up).
     */
    void unregister(Waiter w, boolean looksAgain) {
        synchronized (line) {
            departed.add(w.key());
        }
        local.remove(w.key());
        if (!w.woken().complete(null) && !looksAgain) {
            String id = w.woken().getNow(null);
            if (id != null) {
                passOn(id);
            } else {
                wakeLocal();
            }
        }
        queue.client().kv().deleteAsync(Delete.key(w.key())).whenComplete((r, e) -> {
            if (e != null) {
                LOG.debug("work queue {}: deleting waiter key {} failed ({}); its lease will", layout.name(), w.key(),
                        e.toString());
            }
        });
    }

    /** Wakes one consumer of this instance that is waiting, if any (to look again at items it may have skipped). */
    void wakeLocal() {
        for (CompletableFuture<String> f : local.values()) {
            if (f.complete(null)) {
                return;
            }
        }
    }

    /** The first waiter of the line leaves it for this item; if it is ours, it is woken. Watch thread only. */
    private void wakeFirst(String id) {
        Map.Entry<Long, Bytes> first;
        synchronized (line) {
            first = line.pollFirstEntry();
            if (first == null) {
                return; // nobody waits: consumers that register later read the item before they wait
            }
            lineRevisions.remove(first.getValue());
        }
        CompletableFuture<String> f = local.get(first.getValue());
        if (f != null && f.complete(id)) {
            WAKEUPS.incrementAndGet();
            queue.client().listener().queueWaiterWoken(layout.name());
            return;
        }
        boolean leftUs;
        synchronized (line) {
            leftUs = departed.remove(first.getValue());
        }
        if (f != null || leftUs) {
            passOn(id); // one of ours that no longer waits: the next in line must have it
        }
    }

    /**
     * Hands an item's wake-up to the next waiter in line, across processes: its pending key is written again,
     * unchanged and only while it is still queued, which every instance's watch sees as an item queued anew.
     * Nothing is written when the item was claimed meanwhile.
     */
    private void passOn(String id) {
        Bytes key = layout.pending(id);
        queue.client().kv().getAsync(key).thenCompose(kv -> kv.isEmpty() ? CompletableFuture.completedFuture(null)
                : queue.client().kv().commitAsync(Transaction.when(Compare.modRevision(key)
                        .equalTo(kv.get().modRevision())).then(Put.of(key, kv.get().value()))))
                .whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.debug("work queue {}: passing on the wake-up for item {} failed ({}); the next "
                                + "waiter reads at its timeout", layout.name(), id, e.toString());
                    }
                });
    }

    private void joined(Bytes key, long createRevision) {
        synchronized (line) {
            if (lineRevisions.putIfAbsent(key, createRevision) == null) {
                line.put(createRevision, key);
            }
        }
    }

    private void left(Bytes key) {
        synchronized (line) {
            departed.remove(key);
            Long revision = lineRevisions.remove(key);
            if (revision != null) {
                line.remove(revision);
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
            if (key.startsWith(layout.waiters())) {
                if (k instanceof PutEvent p) {
                    joined(key, p.kv().createRevision());
                } else {
                    left(key);
                }
            } else if (k instanceof PutEvent && key.startsWith(layout.pending())) {
                wakeFirst(layout.idOf(key, layout.pending()));
            } else if (k instanceof DeleteEvent && key.startsWith(layout.claims())) {
                claimsDeleted.add(layout.idOf(key, layout.claims()));
            } else if (key.startsWith(layout.items())) {
                itemsChanged.add(layout.idOf(key, layout.items()));
            }
        } else if (event instanceof CompactedEvent || event instanceof EndedEvent) {
            if (!closed) {
                recovery.execute(this::restart); // the watch is over: events were missed, the line may be stale
            }
        } else if (event instanceof ResyncedEvent) {
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
        closed = true;
        Watcher w = watcher;
        if (w != null) {
            w.close();
        }
        recovery.shutdownNow();
        local.values().forEach(f -> f.complete(null));
    }
}
