package io.etcdkit.internal.watch;

import io.etcdkit.Bytes;
import io.etcdkit.CompactedException;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Namespace;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Snapshot then watch: reads the prefix in pages at one pinned revision R, emits the keys as puts, then
 * {@link SnapshotCompleteEvent}, then watches from R + 1 — so no write between the phases is missed or doubled.
 *
 * <p>The subscription remembers each key's last emitted modification revision. When the watch loses its place
 * to compaction, it re-reads the prefix at a new revision R' and emits exactly the difference: puts for keys that
 * are new or changed, deletes (at R') for keys that vanished, then {@link ResyncedEvent}, and watches again from
 * R' + 1. The initial snapshot is the same procedure starting from an empty view, except that when its pinned
 * revision is compacted before the last page it starts over from an empty view at the latest revision, after a
 * {@link SnapshotRestartedEvent}: before {@link SnapshotCompleteEvent} the consumer only ever gets one consistent
 * set of keys at one revision (per attempt), never a delete or a key twice. Paging waits while the
 * consumer's buffer is full, so memory stays bounded by the buffer plus the key index.
 */
final class SnapshotSubscription implements Watcher, SubscriptionHooks {
    private final Kv kv;
    private final WatchEngine engine;
    private final Namespace ns;
    private final Subscribe spec;
    private final Delivery delivery;
    private final WatcherLifetime lifetime;
    private final ReentrantLock lock = new ReentrantLock();
    private Map<Bytes, Long> known = new HashMap<>(); // guarded by lock

    private volatile boolean closed;
    private WatcherCore inner;
    // The sync in progress (initial snapshot or re-sync):
    private boolean syncing;
    private boolean initial = true;
    private long syncRevision;
    private long compactRevision;
    private Range nextPage;
    private Set<Bytes> seen; // keys read in this sync; null while known was empty when it began (nothing to delete)
    private boolean waitingForDrain;
    private boolean outage;
    private int failures;

    SnapshotSubscription(Kv kv, WatchEngine engine, Namespace ns, Subscribe spec, Delivery delivery,
            WatcherLifetime lifetime) {
        this.kv = kv;
        this.lifetime = lifetime;
        this.engine = engine;
        this.ns = ns;
        this.spec = spec;
        this.delivery = delivery;
        delivery.setOnDrained(this::drained);
    }

    void start() {
        if (!engine.opened(this)) {
            clientClosed();
            return;
        }
        lock.lock();
        try {
            beginSyncLocked(spec.revision(), 0);
        } finally {
            lock.unlock();
        }
        fetchPage();
    }

    /**
     * The client was closed. While the subscription reads a snapshot it is in no watch stream, so the streams'
     * closing does not reach it: it ends here with {@link io.etcdkit.watch.EndedEvent}, like a watcher of a
     * stream. With a live watcher the stream has ended it already (the same event); then nothing more happens.
     */
    void clientClosed() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            if (inner == null) {
                delivery.offer(new io.etcdkit.watch.EndedEvent(new EtcdException("the client was closed")));
            }
            inner = null; // a live watcher was ended by its stream, which delivered the same EndedEvent
        } finally {
            lock.unlock();
            engine.ended(this);
        }
        lifetime.closed();
    }

    private Range pageRange() {
        Range r = Range.prefix(spec.prefixBytes()).limit(spec.pageKeys());
        return spec.isKeysOnly() ? r.keysOnly() : r;
    }

    private void beginSyncLocked(long revision, long compactRev) {
        if (!initial && !syncing) {
            delivery.offer(new ResyncStartedEvent(compactRev));
            EtcdListener listener = engine.transport().listener();
            if (listener != EtcdListener.NONE) {
                listener.watchResyncStarted();
            }
        }
        syncing = true;
        syncRevision = revision;
        compactRevision = compactRev;
        nextPage = pageRange();
        seen = known.isEmpty() ? null : new HashSet<>(capacityFor(known.size()));
    }

    /**
     * Starts the initial snapshot over at the latest revision: forgets every key delivered so far and, if any
     * was, tells the consumer with a {@link SnapshotRestartedEvent} to drop them too.
     */
    private void restartSnapshotLocked(long compactRev) {
        if (!known.isEmpty()) {
            delivery.offer(new SnapshotRestartedEvent(compactRev));
            known = new HashMap<>();
        }
        beginSyncLocked(0, compactRev);
    }

    private static int capacityFor(long entries) {
        return (int) Math.min(1 << 30, entries * 4 / 3 + 1);
    }

    private void fetchPage() {
        Range page;
        lock.lock();
        try {
            if (closed || !syncing) {
                return;
            }
            page = pinnedNextPage();
        } finally {
            lock.unlock();
        }
        kv.rangeAsync(page).whenComplete(this::onPage);
    }

    private Range pinnedNextPage() {
        return syncRevision > 0 ? nextPage.atRevision(syncRevision) : nextPage;
    }

    /**
     * Handles one page. The next page is requested before this one is turned into events (when the consumer's
     * queue has room for both), so etcd reads it while the client works; its handler is attached only after this
     * page's events are queued, so pages are handled strictly in order.
     */
    private void onPage(RangeResult result, Throwable error) {
        boolean fetchMore = false;
        WatcherCore toStart = null;
        CompletableFuture<RangeResult> prefetched = null;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (error != null) {
                Throwable cause = Futures.unwrap(error);
                if (cause instanceof CompactedException c) {
                    long compactRev = Math.max(c.compactRevision(), Math.max(compactRevision, syncRevision));
                    if (initial) {
                        // The initial snapshot lost its pinned revision: it must stay one consistent set at one
                        // revision, so it starts over from nothing and says so (the consumer drops what it had).
                        restartSnapshotLocked(compactRev);
                    } else {
                        // A re-sync: start over at the latest revision; the view diff keeps already emitted keys
                        // from being emitted twice.
                        beginSyncLocked(0, compactRev);
                    }
                    fetchMore = true;
                } else {
                    failures++;
                    if (!outage) {
                        outage = true;
                        delivery.offer(new DisconnectedEvent(cause instanceof EtcdException e ? e
                                : new EtcdException("subscription read failed: " + cause, cause)));
                    }
                    long delayMs = Math.min(2000, 100L << Math.min(failures, 5));
                    engine.transport().scheduler().schedule(
                            () -> engine.transport().callbackExecutor().execute(this::fetchPage),
                            delayMs, TimeUnit.MILLISECONDS);
                    return;
                }
            } else {
                failures = 0;
                if (outage) {
                    outage = false;
                    delivery.offer(new ResumedEvent(syncRevision > 0 ? syncRevision : result.revision(),
                            "snapshot read"));
                }
                if (syncRevision == 0) {
                    syncRevision = result.revision();
                }
                boolean more = result.more() && !result.kvs().isEmpty();
                if (more) {
                    Bytes last = result.kvs().get(result.kvs().size() - 1).key();
                    nextPage = nextPage.startingAt(last.concat(Bytes.of(new byte[] {0})));
                    if (delivery.size() + result.kvs().size() < delivery.capacity()) {
                        prefetched = kv.rangeAsync(pinnedNextPage());
                    }
                }
                if (known.isEmpty() && result.count() > result.kvs().size()) {
                    known = new HashMap<>(capacityFor(result.count())); // the prefix's size: no rehashing
                }
                List<WatchEvent> out = new ArrayList<>(result.kvs().size());
                for (KeyValue k : result.kvs()) {
                    if (seen != null) {
                        seen.add(k.key());
                    }
                    Long before = known.put(k.key(), k.modRevision());
                    if (before == null || before != k.modRevision()) {
                        out.add(new PutEvent(k, Optional.empty()));
                    }
                }
                int queued = out.isEmpty() ? delivery.size() : delivery.offer(out);
                if (!more) {
                    toStart = finishSyncLocked();
                } else if (prefetched == null) {
                    if (queued >= delivery.capacity()) {
                        waitingForDrain = true;
                    } else {
                        fetchMore = true;
                    }
                }
            }
        } finally {
            lock.unlock();
        }
        if (prefetched != null) {
            prefetched.whenComplete(this::onPage);
        }
        if (fetchMore) {
            fetchPage();
        }
        if (toStart != null) {
            // Outside our lock: the stream's lock is taken before ours when events arrive.
            toStart.stream().add(toStart); // a no-op when close() already cancelled it
        }
    }

    /** Emits the deletions and the end marker, and returns the live watcher to start. */
    private WatcherCore finishSyncLocked() {
        List<WatchEvent> out = new ArrayList<>();
        if (seen != null) {
            for (Iterator<Map.Entry<Bytes, Long>> it = known.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Bytes, Long> e = it.next();
                if (!seen.contains(e.getKey())) {
                    out.add(new DeleteEvent(e.getKey(), syncRevision, Optional.empty()));
                    it.remove();
                }
            }
        }
        out.add(initial ? new SnapshotCompleteEvent(syncRevision, known.size())
                : new ResyncedEvent(compactRevision, syncRevision));
        delivery.offer(out);
        initial = false;
        syncing = false;
        seen = null;
        Watch live = Watch.prefix(spec.prefixBytes()).fromRevision(syncRevision + 1).bufferSize(spec.bufferEvents());
        if (spec.previousValues()) {
            live = live.withPreviousValues();
        }
        WatcherCore core = new WatcherCore(engine.nextStream(), live, ns, delivery, this, lifetime);
        inner = core;
        return core;
    }

    @Override
    public void observe(List<WatchEvent> events) {
        lock.lock();
        try {
            for (WatchEvent e : events) {
                if (e instanceof PutEvent p) {
                    known.put(p.kv().key(), p.revision());
                } else if (e instanceof DeleteEvent d) {
                    known.remove(d.key());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void compacted(long compactRev) {
        // Runs under the stream's lock: only record the state and hand the re-read to the executor.
        lock.lock();
        try {
            if (closed) {
                return;
            }
            inner = null;
            beginSyncLocked(0, compactRev);
        } finally {
            lock.unlock();
        }
        engine.transport().callbackExecutor().execute(this::fetchPage);
    }

    @Override
    public void ended() {
        // Runs under the stream's lock, like compacted(): the inner watcher delivers the EndedEvent itself.
        lock.lock();
        try {
            closed = true;
            inner = null;
        } finally {
            lock.unlock();
        }
        engine.ended(this);
    }

    @Override
    public boolean keysOnly() {
        return spec.isKeysOnly();
    }

    private void drained() {
        WatcherCore w;
        boolean page = false;
        lock.lock();
        try {
            w = inner;
            if (waitingForDrain) {
                waitingForDrain = false;
                page = true;
            }
        } finally {
            lock.unlock();
        }
        if (page) {
            fetchPage();
        }
        if (w != null) {
            w.drained();
        }
    }

    @Override
    public long nextRevision() {
        WatcherCore w = inner;
        return w != null ? w.nextRevision() : syncRevision + 1;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public void close() {
        WatcherCore w;
        lock.lock();
        try {
            if (closed) {
                delivery.stop(); // ended by the server or the client's close: no event after the caller's close
                return;
            }
            closed = true;
            w = inner;
            inner = null;
        } finally {
            lock.unlock();
        }
        if (w != null) {
            w.cancel();
        }
        delivery.stop();
        engine.ended(this);
        lifetime.closed();
    }
}
