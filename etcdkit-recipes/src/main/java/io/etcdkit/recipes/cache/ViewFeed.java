package io.etcdkit.recipes.cache;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.ProgressEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Turns a subscription's events into the snapshots of a {@link CachedView}, one revision at a time.
 *
 * <p>Changes are collected in an editor of the current map and published as one new snapshot when their revision
 * is known to be complete: when an event of a later revision arrives, or the subscription has handed over every
 * queued event ({@link WatchListener#onCaughtUp()}, which never falls inside a revision), or progress is reported.
 * So a multi-key transaction is never seen half applied, and a revision costs O(√n) (see {@link SnapshotMap}), not
 * a copy of the whole map. The listener calls of a revision run right after it is published. A snapshot or a
 * re-sync after compaction is applied whole and published at its end.
 *
 * <p>Called by the subscription one event at a time (never concurrently), so it needs no lock.
 */
final class ViewFeed<T> implements WatchListener {
    private final CachedView<T> view;
    private final KeyBoundCodec<T> codec;
    private final DecodeFailurePolicy policy;
    private final Predicate<Bytes> keyFilter;

    private boolean loading = true; // the first snapshot or a re-sync is being applied: publish at its end
    private boolean ready;
    private SnapshotMap<CachedEntry<T>> base = SnapshotMap.empty(); // the map of the last published snapshot
    private SnapshotMap.Editor<CachedEntry<T>> editor; // the pending changes, null when none
    private long pendingRevision; // the revision of the pending changes, 0 when none
    private List<Consumer<CacheListener<T>>> pendingCalls = new ArrayList<>();

    ViewFeed(CachedView<T> view, KeyBoundCodec<T> codec, DecodeFailurePolicy policy, Predicate<Bytes> keyFilter) {
        this.view = view;
        this.codec = codec;
        this.policy = policy;
        this.keyFilter = keyFilter;
    }

    @Override
    public void onEvent(WatchEvent event) {
        if (view.isClosed()) {
            return;
        }
        if (event instanceof PutEvent p) {
            revision(p.revision());
            put(p.kv());
        } else if (event instanceof DeleteEvent d) {
            revision(d.revision());
            delete(d.key(), d.revision());
        } else if (event instanceof SnapshotCompleteEvent s) {
            loading = false;
            CacheSnapshot<T> snap = publish(s.revision());
            if (!ready) {
                ready = true;
                pendingCalls.add(l -> l.onReady(snap));
            }
            runCalls(snap.revision());
        } else if (event instanceof SnapshotRestartedEvent) {
            editor = null; // nothing was published yet: drop the keys of the abandoned snapshot
            pendingRevision = 0;
        } else if (event instanceof ResyncStartedEvent) {
            flush();
            loading = true; // the difference follows in key order: publish it whole at the ResyncedEvent
        } else if (event instanceof ResyncedEvent r) {
            loading = false;
            CacheSnapshot<T> snap = publish(r.revision());
            pendingCalls.add(l -> l.onReset(snap));
            runCalls(snap.revision());
        } else if (event instanceof ProgressEvent p) {
            if (!loading) {
                revision(p.revision());
                flush();
            }
        } else if (event instanceof DisconnectedEvent d) {
            flush();
            view.streamUp(false, d.cause());
            view.notifyListeners(l -> l.onDisconnected(d.cause()));
        } else if (event instanceof ResumedEvent) {
            flush();
            view.streamUp(true, null);
            view.notifyListeners(CacheListener::onResumed);
        } else if (event instanceof EndedEvent e) {
            flush();
            view.ended(e.cause());
        } else if (event instanceof CompactedEvent c) {
            // A subscription re-syncs by itself; this is not expected, but never leave waiters hanging.
            view.ended(new io.etcdkit.CompactedException("cached view of '" + view.prefix()
                    + "' lost its place to compaction at " + c.compactRevision(), c.compactRevision()));
        }
    }

    @Override
    public void onCaughtUp() {
        if (!view.isClosed()) {
            flush();
        }
    }

    /** A change of {@code revision} arrives: the pending revision, if older, is complete. */
    private void revision(long revision) {
        if (!loading && pendingRevision != 0 && revision != pendingRevision) {
            flush();
        }
        pendingRevision = Math.max(pendingRevision, revision);
    }

    private void flush() {
        if (loading || (pendingRevision == 0 && editor == null)) {
            return;
        }
        CacheSnapshot<T> snap = publish(pendingRevision);
        runCalls(snap.revision());
    }

    private CacheSnapshot<T> publish(long revision) {
        SnapshotMap<CachedEntry<T>> map = editor == null ? base : editor.build();
        editor = null;
        pendingRevision = 0;
        base = map;
        CacheSnapshot<T> current = view.snapshot();
        long r = Math.max(revision, current.revision());
        CacheSnapshot<T> snap = map == current.map() && r == current.revision() ? current : new CacheSnapshot<>(map, r);
        view.publish(snap);
        return snap;
    }

    private void runCalls(long revision) {
        List<Consumer<CacheListener<T>>> calls = pendingCalls;
        pendingCalls = new ArrayList<>();
        for (Consumer<CacheListener<T>> call : calls) {
            view.notifyListeners(call);
        }
        if (ready) {
            view.delivered(revision);
        }
    }

    private SnapshotMap.Editor<CachedEntry<T>> editor() {
        if (editor == null) {
            editor = base.edit();
        }
        return editor;
    }

    private void put(KeyValue kv) {
        if (!keyFilter.test(kv.key())) {
            return; // still advances the revision
        }
        T value;
        try {
            value = codec.decode(kv);
        } catch (ValueDecodingException e) {
            decodeFailed(kv, e);
            return;
        } catch (RuntimeException e) {
            // A codec broke its contract; report it like a decoding failure rather than break the view.
            decodeFailed(kv, new ValueDecodingException(String.valueOf(codec),
                    "codec '" + codec + "' failed on the value of '" + kv.keyAsString() + "': " + e, e));
            return;
        }
        String key = kv.key().toStringUtf8();
        CachedEntry<T> entry = new CachedEntry<>(key, value, kv.createRevision(), kv.modRevision(), kv.version());
        editor().put(key, entry);
        if (!loading) {
            pendingCalls.add(l -> l.onPut(entry));
        }
    }

    private void decodeFailed(KeyValue kv, ValueDecodingException error) {
        String key = kv.key().toStringUtf8();
        CachedEntry<T> removed = policy == DecodeFailurePolicy.SKIP ? editor().remove(key) : null;
        pendingCalls.add(l -> l.onDecodeFailure(kv, error));
        if (removed != null && !loading) {
            pendingCalls.add(l -> l.onDelete(key, kv.modRevision()));
        }
    }

    private void delete(Bytes rawKey, long revision) {
        if (!keyFilter.test(rawKey)) {
            return;
        }
        String key = rawKey.toStringUtf8();
        CachedEntry<T> removed = editor().remove(key);
        if (removed != null && !loading) {
            pendingCalls.add(l -> l.onDelete(key, revision));
        }
    }
}
