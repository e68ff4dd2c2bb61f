package io.etcdkit.watch;

import java.util.concurrent.Flow;

/**
 * Watches and subscriptions. Many watchers share few gRPC streams (one by default); creating or closing one
 * never disturbs the others. After any stream failure every watcher resumes from its last delivered revision + 1
 * on a healthy member (with require-leader set), announced by {@link DisconnectedEvent} and
 * {@link ResumedEvent}. A resume past a compacted revision is an explicit {@link CompactedEvent}. Thread-safe.
 */
public interface Watches {
    /**
     * Starts a watch delivering to {@code listener}.
     *
     * @param watch the watch to open
     * @param listener the listener to call
     * @return the watcher
     */
    Watcher watch(Watch watch, WatchListener listener);

    /**
     * A cold publisher: each subscriber gets its own watch, started on subscribe. Demand is honoured; events
     * beyond demand are buffered up to the watch's buffer size, then the server-side watch pauses until demand
     * returns. A {@link CompactedEvent} or {@link EndedEvent} is followed by {@code onComplete}.
     *
     * @param watch the watch to open
     * @return a cold publisher: each subscriber gets its own watch, started on subscribe
     */
    Flow.Publisher<WatchEvent> publisher(Watch watch);

    /**
     * Starts a snapshot-then-watch subscription delivering to {@code listener}.
     *
     * @param subscribe the subscription to open
     * @param listener the listener to call
     * @return the watcher
     */
    Watcher subscribe(Subscribe subscribe, WatchListener listener);

    /**
     * A cold publisher of a snapshot-then-watch subscription per subscriber.
     *
     * @param subscribe the subscription to open
     * @return a cold publisher of a snapshot-then-watch subscription per subscriber
     */
    Flow.Publisher<WatchEvent> subscription(Subscribe subscribe);
}
