package io.etcdkit.watch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A watch consumer for fault tests: keeps every event in delivery order, plus running figures (highest delivered
 * revision, markers, the longest gap between two deliveries, the longest outage) so that bounded waits on them
 * are cheap however many events arrive. A recorder made {@link #gated()} is a stalled consumer: it blocks in
 * {@link #onEvent} until {@link #open()}, so its watcher's buffer fills up and the server-side watch pauses.
 */
final class FaultRecorder implements WatchListener {
    private final CountDownLatch gate;
    private final List<WatchEvent> events = new ArrayList<>();
    private long maxRevision;
    private long revisionBeforeLastDisconnect;
    private int disconnects;
    private int lastDisconnectIndex = -1;
    private long lastChangeNanos;
    private long longestGapNanos;
    private long disconnectedAtNanos;
    private long longestOutageNanos;
    private long lastDisconnectNanos;
    private boolean awaitingFreshChange;
    private long firstChangeAfterResumeNanos;
    // Read by await conditions (under this monitor):
    SnapshotCompleteEvent snapshotComplete;
    CompactedEvent compacted;
    ResyncedEvent resynced;

    FaultRecorder() {
        this(0);
    }

    private FaultRecorder(int closedGates) {
        this.gate = new CountDownLatch(closedGates);
    }

    /** A consumer that takes nothing until {@link #open()} is called. */
    static FaultRecorder gated() {
        return new FaultRecorder(1);
    }

    /** Lets a {@link #gated()} consumer take its events. */
    void open() {
        gate.countDown();
    }

    @Override
    public void onEvent(WatchEvent event) {
        try {
            if (!gate.await(2 * WatchFaultTest.WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("the gate of a stalled consumer was never opened");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        record(event);
    }

    private synchronized void record(WatchEvent event) {
        long now = System.nanoTime();
        events.add(event);
        if (event instanceof PutEvent || event instanceof DeleteEvent) {
            if (lastChangeNanos != 0) {
                longestGapNanos = Math.max(longestGapNanos, now - lastChangeNanos);
            }
            lastChangeNanos = now;
            if (awaitingFreshChange) {
                awaitingFreshChange = false;
                firstChangeAfterResumeNanos = now;
            }
            maxRevision = Math.max(maxRevision, EventLog.revision(event));
        } else if (event instanceof DisconnectedEvent) {
            disconnects++;
            lastDisconnectIndex = events.size() - 1;
            revisionBeforeLastDisconnect = maxRevision;
            lastDisconnectNanos = now;
            if (disconnectedAtNanos == 0) {
                disconnectedAtNanos = now;
            }
        } else if (event instanceof ResumedEvent || event instanceof ResyncedEvent
                || event instanceof CompactedEvent) {
            if (disconnectedAtNanos != 0) {
                longestOutageNanos = Math.max(longestOutageNanos, now - disconnectedAtNanos);
                disconnectedAtNanos = 0;
            }
            awaitingFreshChange = event instanceof ResumedEvent;
            if (event instanceof ResyncedEvent r) {
                resynced = r;
            } else if (event instanceof CompactedEvent c) {
                compacted = c;
            }
        } else if (event instanceof SnapshotCompleteEvent s) {
            snapshotComplete = s;
            maxRevision = Math.max(maxRevision, s.revision());
        }
        notifyAll();
    }

    /** When the last DisconnectedEvent arrived ({@code System.nanoTime()}), or 0. */
    synchronized long lastDisconnectNanos() {
        return lastDisconnectNanos;
    }

    /** When the first change after the last ResumedEvent arrived ({@code System.nanoTime()}), or 0. */
    synchronized long firstChangeAfterResumeNanos() {
        return firstChangeAfterResumeNanos;
    }

    synchronized List<WatchEvent> events() {
        return List.copyOf(events);
    }

    synchronized int disconnects() {
        return disconnects;
    }

    /** The highest change revision delivered before the last DisconnectedEvent. */
    synchronized long revisionBeforeLastDisconnect() {
        return revisionBeforeLastDisconnect;
    }

    /** The first ResumedEvent after the last DisconnectedEvent, or null. */
    synchronized ResumedEvent resumedAfterLastDisconnect() {
        if (lastDisconnectIndex < 0) {
            return null;
        }
        for (int i = lastDisconnectIndex + 1; i < events.size(); i++) {
            if (events.get(i) instanceof ResumedEvent r) {
                return r;
            }
        }
        return null;
    }

    /**
     * The markers in delivery order, one letter each, with the number of changes between them: S snapshot
     * complete, D disconnected, R resumed, C compacted, [ resync started, ] resynced, E ended, P progress.
     */
    synchronized String markers() {
        StringBuilder out = new StringBuilder();
        int changes = 0;
        for (WatchEvent e : events) {
            if (e instanceof PutEvent || e instanceof DeleteEvent) {
                changes++;
                continue;
            }
            if (changes > 0) {
                out.append(changes).append(' ');
                changes = 0;
            }
            out.append(marker(e)).append(' ');
        }
        if (changes > 0) {
            out.append(changes);
        }
        return out.toString().trim();
    }

    private static String marker(WatchEvent e) {
        if (e instanceof SnapshotCompleteEvent) {
            return "S";
        } else if (e instanceof DisconnectedEvent) {
            return "D";
        } else if (e instanceof ResumedEvent) {
            return "R";
        } else if (e instanceof CompactedEvent) {
            return "C";
        } else if (e instanceof ResyncStartedEvent) {
            return "[";
        } else if (e instanceof ResyncedEvent) {
            return "]";
        } else if (e instanceof EndedEvent) {
            return "E";
        }
        return "P";
    }

    synchronized long longestGapNanos() {
        return longestGapNanos;
    }

    synchronized long longestOutageNanos() {
        return longestOutageNanos;
    }

    /**
     * Waits (at most {@link WatchFaultTest#WAIT}) until {@code probe} gives a value that is neither null nor
     * {@code false}, and returns it.
     */
    synchronized <T> T await(String what, Function<FaultRecorder, T> probe) {
        Duration timeout = WatchFaultTest.WAIT;
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = probe.apply(this);
            if (value != null && !Boolean.FALSE.equals(value)) {
                return value;
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("waited " + timeout.toSeconds() + " s for " + what + "; highest revision "
                        + maxRevision + ", " + events.size() + " events, the last ones: "
                        + events.subList(Math.max(0, events.size() - 10), events.size()));
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /**
     * Waits until a change at {@code revision} or later has been delivered (so every change of an earlier revision
     * has been too; a revision with several changes may still be arriving, so wait for a single-change revision).
     */
    void awaitRevision(long revision) {
        await("delivery of revision " + revision, r -> r.maxRevision >= revision);
    }
}
