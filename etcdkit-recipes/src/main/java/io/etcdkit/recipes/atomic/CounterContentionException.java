package io.etcdkit.recipes.atomic;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;

/**
 * An {@link AtomicCounter} operation gave up because other writers changed the counter before every one of its
 * attempts, until its retry limit or deadline ran out. <b>Nothing was written</b> by the operation that failed,
 * so it is safe to call again. Raise {@link AtomicCounter#retries(int)} or {@link AtomicCounter#deadline}, or
 * spread the load over several counters (one per shard, summed when read).
 */
public class CounterContentionException extends EtcdException {
    private final transient Bytes key;
    /** The attempts. */
    private final int attempts;

    /**
     * Creates the exception.
     *
     * @param message what was tried and what to do
     * @param key the counter's key
     * @param attempts how many compare-and-swap attempts were made
     */
    public CounterContentionException(String message, Bytes key, int attempts) {
        super(message);
        this.key = key;
        this.attempts = attempts;
    }

    /**
     * The counter's key.
     *
     * @return the counter's key
     */
    public Bytes key() {
        return key;
    }

    /**
     * How many compare-and-swap attempts were made before giving up.
     *
     * @return how many compare-and-swap attempts were made before giving up
     */
    public int attempts() {
        return attempts;
    }
}
