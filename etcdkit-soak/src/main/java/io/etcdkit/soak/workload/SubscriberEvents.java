package io.etcdkit.soak.workload;

import io.etcdkit.testing.check.WatchDeliveryChecker;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.ResyncStartedEvent;
import io.etcdkit.watch.ResyncedEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.SnapshotRestartedEvent;
import io.etcdkit.watch.WatchEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The events one subscription delivered, in order, with waits for its progress and the translation into
 * {@link WatchDeliveryChecker} records (snapshot, deliveries, and the resync markers placed where the checker wants
 * them).
 */
final class SubscriberEvents {
    private final List<WatchEvent> events = new ArrayList<>();
    private long maxRevision;
    private boolean snapshotComplete;

    synchronized void add(WatchEvent event) {
        events.add(event);
        if (event instanceof PutEvent p) {
            maxRevision = Math.max(maxRevision, p.revision());
        } else if (event instanceof DeleteEvent d) {
            maxRevision = Math.max(maxRevision, d.revision());
        } else if (event instanceof SnapshotCompleteEvent) {
            snapshotComplete = true;
        } else if (event instanceof ResyncedEvent r) {
            maxRevision = Math.max(maxRevision, r.revision());
        }
        notifyAll();
    }

    synchronized long maxRevision() {
        return maxRevision;
    }

    synchronized boolean awaitSnapshot(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!snapshotComplete) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    synchronized boolean awaitRevision(long revision, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (maxRevision < revision) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /**
     * Records everything delivered into {@code checker}; protocol problems of the subscription itself (an ended
     * stream, a resync never closed) go to {@code problems}.
     *
     * @return the snapshot's revision
     */
    synchronized long feed(WatchDeliveryChecker checker, List<String> problems) {
        int begin = 0;
        long snapshotRevision = 0;
        Map<String, String> contents = new TreeMap<>();
        for (int i = 0; i < events.size(); i++) {
            WatchEvent e = events.get(i);
            if (e instanceof SnapshotRestartedEvent) {
                contents.clear();
            } else if (e instanceof PutEvent p) {
                contents.put(p.kv().keyAsString(), p.kv().valueAsString());
            } else if (e instanceof SnapshotCompleteEvent s) {
                snapshotRevision = s.revision();
                begin = i + 1;
                break;
            }
        }
        checker.snapshot(contents, snapshotRevision);
        Map<Integer, ResyncedEvent> closedBy = new TreeMap<>();
        int started = -1;
        for (int j = begin; j < events.size(); j++) {
            WatchEvent e = events.get(j);
            if (e instanceof ResyncStartedEvent) {
                if (started >= 0) {
                    problems.add("a resync started at event " + j + " while the one from " + started + " was open");
                }
                started = j;
            } else if (e instanceof ResyncedEvent r && started >= 0) {
                closedBy.put(started, r);
                started = -1;
            }
        }
        if (started >= 0) {
            problems.add("the resync started at event " + started + " never ended");
        }
        for (int i = begin; i < events.size(); i++) {
            WatchEvent e = events.get(i);
            if (e instanceof ResyncStartedEvent opening) {
                checker.compacted(opening.compactRevision());
                ResyncedEvent closing = closedBy.get(i);
                if (closing != null) {
                    checker.resynced(closing.revision());
                }
            } else if (e instanceof PutEvent p) {
                checker.delivered(p.kv().keyAsString(), p.revision(), WatchDeliveryChecker.Kind.PUT,
                        p.kv().valueAsString());
            } else if (e instanceof DeleteEvent d) {
                checker.delivered(d.key().toStringUtf8(), d.revision(), WatchDeliveryChecker.Kind.DELETE, null);
            } else if (e instanceof DisconnectedEvent) {
                checker.disconnected();
            } else if (e instanceof ResumedEvent) {
                checker.resumed();
            } else if (e instanceof CompactedEvent c) {
                checker.compacted(c.compactRevision());
            } else if (e instanceof EndedEvent ended) {
                problems.add("the subscription ended: " + ended.cause());
            }
        }
        return snapshotRevision;
    }
}
