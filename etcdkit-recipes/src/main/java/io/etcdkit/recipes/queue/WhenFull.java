package io.etcdkit.recipes.queue;

/** What a put into a full bounded {@link DistributedQueue} does. */
public enum WhenFull {
    /** Throw {@link QueueFullException} at once. */
    FAIL,
    /** Wait until a take makes room (or the put's timeout passes, then {@link QueueFullException}). */
    BLOCK
}
