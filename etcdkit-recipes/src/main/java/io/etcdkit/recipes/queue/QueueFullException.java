package io.etcdkit.recipes.queue;

import io.etcdkit.EtcdException;

/**
 * A put into a bounded {@link DistributedQueue} found it at its capacity (with {@link WhenFull#FAIL}). Nothing was
 * written: take items first, or build the queue with {@link WhenFull#BLOCK} to wait for room.
 */
public class QueueFullException extends EtcdException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was full and what to do
     */
    public QueueFullException(String message) {
        super(message);
    }
}
