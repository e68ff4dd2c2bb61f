package io.etcdkit.watch;

/**
 * Receives a watcher's events, one at a time, in order, on the client's callback executor. An exception thrown
 * here is logged and does not stop the watcher. A listener that blocks delays only its own watcher; events then
 * queue up to the watcher's buffer size, after which the server-side watch pauses until the listener catches up.
 */
@FunctionalInterface
public interface WatchListener {
    /**
     * Handles one event.
     *
     * @param event the event
     */
    void onEvent(WatchEvent event);

    /**
     * The listener has been handed every event received so far: the watcher's queue is empty for now. Called
     * after the last {@link #onEvent} of a run of deliveries, one call at a time like {@code onEvent} (never
     * concurrently with it), and never between two changes of one revision: etcd sends a revision's events in one
     * response and the watcher queues a response whole. A listener that collects changes into shared state can
     * publish them here, so that readers never see part of a multi-key transaction. During a subscription's
     * snapshot or re-sync it may come between pages; act on {@link SnapshotCompleteEvent} and
     * {@link ResyncedEvent} for those. Not called after the watcher's last event. An exception thrown here is
     * logged and ignored. Default: nothing.
     */
    default void onCaughtUp() {
    }
}
