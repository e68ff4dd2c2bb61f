package io.etcdkit.internal.watch;

import io.etcdkit.watch.WatchEvent;
import java.util.List;

/** What a subscription's inner watcher reports to the subscription. */
interface SubscriptionHooks {
    /** Sees every change before it is queued for the consumer (to keep the subscription's view of keys). */
    void observe(List<WatchEvent> events);

    /** The inner watch lost its place to compaction: re-sync instead of ending. */
    void compacted(long compactRevision);

    /** The inner watch ended for good (refused by the server, or the client closed): so has the subscription. */
    void ended();

    /** Whether values are left out. */
    boolean keysOnly();
}
