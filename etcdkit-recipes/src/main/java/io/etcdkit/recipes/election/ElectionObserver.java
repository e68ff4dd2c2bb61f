package io.etcdkit.recipes.election;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Follows an election through a snapshot-then-watch subscription of its prefix, keeping every candidate by create
 * revision; the leader is the earliest. Reports only real changes: a leadership (identified by its key's create
 * revision) is reported as elected once, a new value of the same leader as proclaimed, and "no leader" once per
 * vacancy. Nothing is reported before the first snapshot is complete, nor in the middle of a re-sync after
 * compaction. Thread-safe; close to stop.
 */
public final class ElectionObserver implements AutoCloseable {
    private final ElectionListener listener;
    private final TreeMap<Long, KeyValue> byRevision = new TreeMap<>();
    private final Map<Bytes, Long> revisionOfKey = new HashMap<>();
    private volatile Watcher subscription; // set by start()
    private boolean ready;
    private boolean resyncing;
    private Leader reported;
    private boolean reportedNone;
    private volatile Optional<Leader> current = Optional.empty();

    private ElectionObserver(ElectionListener listener) {
        this.listener = listener;
    }

    /**
     * Opens an observer of election {@code name}: reports the current leader (or none) once the observer has read
     * the state, then every change; never the same leadership twice; "no leader" while there is none. Resumes
     * after disconnects and re-syncs after compaction by itself. The observer is fully built before its watch
     * starts. Close it to stop.
     *
     * @param client the client
     * @param name the election's name
     * @param listener hears the changes, one at a time
     * @return the open observer
     * @throws NullPointerException when {@code client} or {@code listener} is null
     * @throws InvalidArgumentException when the name is empty
     */
    public static ElectionObserver open(EtcdClient client, String name, ElectionListener listener) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(listener, "listener");
        Bytes prefix = LeaderElection.prefixFor(name);
        ElectionObserver observer = new ElectionObserver(listener);
        observer.subscription = client.watches().subscribe(Subscribe.prefix(prefix), observer::onEvent);
        return observer;
    }

    // Called one event at a time by the subscription.
    private void onEvent(WatchEvent event) {
        if (event instanceof PutEvent p) {
            KeyValue kv = p.kv();
            Long old = revisionOfKey.put(kv.key(), kv.createRevision());
            if (old != null && old != kv.createRevision()) {
                byRevision.remove(old);
            }
            byRevision.put(kv.createRevision(), kv);
        } else if (event instanceof DeleteEvent d) {
            Long old = revisionOfKey.remove(d.key());
            if (old != null) {
                byRevision.remove(old);
            }
        } else if (event instanceof SnapshotRestartedEvent) {
            revisionOfKey.clear(); // the snapshot starts over at a new revision
            byRevision.clear();
            return;
        } else if (event instanceof ResyncStartedEvent) {
            resyncing = true; // the difference comes in key order: judge the state only at its end
            return;
        } else if (event instanceof SnapshotCompleteEvent || event instanceof ResyncedEvent) {
            ready = true;
            resyncing = false;
        } else {
            return; // connection events change nothing we know
        }
        if (ready && !resyncing) {
            report();
        }
    }

    private void report() {
        Map.Entry<Long, KeyValue> first = byRevision.firstEntry();
        if (first == null) {
            current = Optional.empty();
            if (!reportedNone) {
                reportedNone = true;
                reported = null;
                listener.onEvent(new ElectionEvent.NoLeader());
            }
            return;
        }
        Leader now = LeaderElection.toLeader(first.getValue());
        current = Optional.of(now);
        reportedNone = false;
        if (reported == null || reported.revision() != now.revision()) {
            reported = now;
            listener.onEvent(new ElectionEvent.LeaderElected(now));
        } else if (!reported.value().equals(now.value())) {
            reported = now;
            listener.onEvent(new ElectionEvent.LeaderProclaimed(now));
        }
    }

    /**
     * The leader as last observed (empty before the first snapshot or while there is none).
     *
     * @return the leader as last observed (empty before the first snapshot or while there is none)
     */
    public Optional<Leader> leader() {
        return current;
    }

    /** Stops observing. */
    @Override
    public void close() {
        subscription.close();
    }
}
