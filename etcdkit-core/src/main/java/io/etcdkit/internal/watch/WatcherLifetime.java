package io.etcdkit.internal.watch;

import io.etcdkit.observe.EtcdListener;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Tells the client's listener that a watcher (a plain watch or a subscription, as the application sees it) opened,
 * and that it closed — exactly once, whichever way it ends: closed by the application, ended by compaction, refused
 * by etcd, or ended with the client. A subscription's inner watchers share its lifetime, so re-syncs report nothing.
 */
final class WatcherLifetime {
    /** Used when the client has no listener: reports nothing and allocates nothing per watcher. */
    static final WatcherLifetime NONE = new WatcherLifetime(EtcdListener.NONE);
    private static final AtomicIntegerFieldUpdater<WatcherLifetime> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(WatcherLifetime.class, "closed");

    private final EtcdListener listener;
    private volatile int closed;

    private WatcherLifetime(EtcdListener listener) {
        this.listener = listener;
    }

    /**
     * Reports a watcher opened.
     *
     * @param listener the client's listener
     * @return the lifetime that reports the watcher's end ({@link #NONE} without a listener)
     */
    static WatcherLifetime opened(EtcdListener listener) {
        if (listener == EtcdListener.NONE) {
            return NONE;
        }
        listener.watcherOpened();
        return new WatcherLifetime(listener);
    }

    /** The watcher ended; only the first call reports. */
    void closed() {
        if (this != NONE && CLOSED.compareAndSet(this, 0, 1)) {
            listener.watcherClosed();
        }
    }
}
