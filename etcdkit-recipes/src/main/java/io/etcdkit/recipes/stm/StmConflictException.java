package io.etcdkit.recipes.stm;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import java.util.List;

/**
 * An {@link Stm} run gave up: other writers changed what its function read (or, under
 * {@link Isolation#SERIALIZABLE_SNAPSHOT}, what it wrote) before every commit, until the retry limit ran out.
 * <b>Nothing was written</b> by the run, so it may be repeated. Raise {@link Stm#retries(int)}, keep
 * transactions short, or split hot keys.
 */
public class StmConflictException extends EtcdException {
    /** The attempts. */
    private final int attempts;
    private final transient List<Bytes> keys;

    /**
     * Creates the exception.
     *
     * @param message what happened and what to do
     * @param attempts how many times the function ran and tried to commit
     * @param keys the keys found changed at the last failed commit (may be empty when unknown)
     */
    public StmConflictException(String message, int attempts, List<Bytes> keys) {
        super(message);
        this.attempts = attempts;
        this.keys = List.copyOf(keys);
    }

    /**
     * How many times the function ran and tried to commit.
     *
     * @return how many times the function ran and tried to commit
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The keys read by the last attempt that had changed when it tried to commit (empty when unknown).
     *
     * @return the keys read by the last attempt that had changed when it tried to commit (empty when unknown)
     */
    public List<Bytes> keys() {
        return keys;
    }
}
