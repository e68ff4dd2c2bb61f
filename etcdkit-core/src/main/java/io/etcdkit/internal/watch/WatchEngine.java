package io.etcdkit.internal.watch;

import io.etcdkit.internal.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The watch streams of one client, shared by all its views. Watchers are spread over a fixed number of streams
 * (one by default) round-robin; each stream connects lazily on its first watcher.
 */
public final class WatchEngine implements AutoCloseable {
    private final Transport transport;
    private final List<WatchStream> streams;
    private final AtomicInteger next = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong pauses = new java.util.concurrent.atomic.AtomicLong();
    /** Open subscriptions: while one reads its snapshot it is in no stream, so closing the streams cannot end it. */
    private final java.util.Set<SnapshotSubscription> subscriptions =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** An engine with {@code streamCount} streams. */
    public WatchEngine(Transport transport, int streamCount) {
        this.transport = transport;
        List<WatchStream> list = new ArrayList<>(streamCount);
        for (int i = 0; i < streamCount; i++) {
            list.add(new WatchStream(transport, pauses));
        }
        this.streams = List.copyOf(list);
    }

    Transport transport() {
        return transport;
    }

    WatchStream nextStream() {
        return streams.get(Math.floorMod(next.getAndIncrement(), streams.size()));
    }

    /** The number of running watchers over all streams (for tests and metrics). */
    public int watcherCount() {
        int n = 0;
        for (WatchStream s : streams) {
            n += s.size();
        }
        return n;
    }

    /** How many times a slow consumer's server-side watch was paused (for tests and metrics). */
    public long slowConsumerPauses() {
        return pauses.get();
    }

    /** The members the connected streams run on (for tests and diagnostics). */
    public List<String> connectedEndpoints() {
        List<String> out = new ArrayList<>();
        for (WatchStream s : streams) {
            String e = s.endpoint();
            if (e != null) {
                out.add(e);
            }
        }
        return out;
    }

    /** A subscription opened; false when the client is already closed (the caller ends it at once). */
    boolean opened(SnapshotSubscription s) {
        subscriptions.add(s);
        if (closed) {
            subscriptions.remove(s);
            return false;
        }
        return true;
    }

    /** A subscription closed or ended. */
    void ended(SnapshotSubscription s) {
        subscriptions.remove(s);
    }

    /**
     * Closes the streams (their watchers end with {@code EndedEvent}), then ends the subscriptions that were
     * reading a snapshot, which no stream knows of, the same way.
     */
    @Override
    public void close() {
        closed = true;
        for (WatchStream s : streams) {
            s.close();
        }
        for (SnapshotSubscription s : List.copyOf(subscriptions)) {
            s.clientClosed();
        }
    }
}
