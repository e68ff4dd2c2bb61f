package io.etcdkit.kv;

import io.etcdkit.EtcdException;

/**
 * A bulk load stopped because a batch failed. {@link #written()} entries are surely stored; the failed batch
 * (the cause) was not applied, or its outcome is unknown when the cause is an
 * {@link io.etcdkit.OutcomeUnknownException}. Entries after it were not sent. Re-running the load is safe.
 */
public class BulkLoadException extends EtcdException {
    /** How many entries were written before the failure. */
    private final long written;

    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     * @param written how many entries were written before the failure
     * @param cause the underlying failure
     */
    public BulkLoadException(String message, long written, Throwable cause) {
        super(message, cause);
        this.written = written;
    }

    /**
     * How many entries are surely stored.
     *
     * @return how many entries are surely stored
     */
    public long written() {
        return written;
    }
}
