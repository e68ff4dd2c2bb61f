package io.etcdkit.watch;

/**
 * A running watch. Thread-safe. {@link #close()} cancels it (idempotent); no event is delivered after close
 * returns, except one already being delivered on another thread.
 */
public interface Watcher extends AutoCloseable {
    /**
     * The revision the watcher will deliver next (0 until the server has confirmed a watch "from now").
     *
     * @return the revision the watcher will deliver next (0 until the server has confirmed a watch "from now")
     */
    long nextRevision();

    /**
     * Whether the watcher has ended (closed, compacted, or refused).
     *
     * @return whether the watcher has ended (closed, compacted, or refused)
     */
    boolean isClosed();

    /** Stops the watch. */
    @Override
    void close();
}
