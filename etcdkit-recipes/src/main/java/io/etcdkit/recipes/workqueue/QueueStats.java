package io.etcdkit.recipes.workqueue;

/**
 * Counts of a work queue's items, read in one revision.
 *
 * @param items items in the queue (pending, delayed or claimed)
 * @param pending items waiting for a consumer (including delayed ones not yet visible)
 * @param claimed items held by a consumer
 * @param dead items in the dead-letter prefix
 * @param revision the revision of the read
 */
public record QueueStats(long items, long pending, long claimed, long dead, long revision) {
    /** {@return items whose claim expired and that recovery has not returned yet (normally 0)} */
    public long orphaned() {
        return Math.max(0, items - pending - claimed);
    }
}
