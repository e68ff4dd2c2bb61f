package io.etcdkit.recipes.repository;

import io.etcdkit.TooManyOperationsException;

/**
 * A batch needs more operations in its one transaction than the client allows (etcd's {@code --max-txn-ops}, 128
 * by default, as configured with {@code EtcdClient.builder().maxTxnOps(..)}). Nothing was written. The message
 * says how many operations the batch needs and the limit; split it into smaller batches (each atomic on its
 * own) or raise the limit on the server and the client.
 */
public class BatchTooLargeException extends TooManyOperationsException {
    /** The writes. */
    private final int writes;
    /** The operations. */
    private final int operations;

    /**
     * Creates the exception.
     *
     * @param writes the number of writes in the batch
     * @param operations the number of transaction operations they need
     * @param cause the client's refusal, whose message states the limit
     */
    public BatchTooLargeException(int writes, int operations, TooManyOperationsException cause) {
        super("a batch of " + writes + " writes needs " + operations + " operations in one transaction (a create "
                + "takes 2 when the repository has a quota, a delete 2 when the resource holds a quota place, "
                + "anything else 1): " + cause.getMessage(), cause);
        this.writes = writes;
        this.operations = operations;
    }

    /**
     * The number of writes in the batch.
     *
     * @return the number of writes in the batch
     */
    public int writes() {
        return writes;
    }

    /**
     * The number of transaction operations the batch needs.
     *
     * @return the number of transaction operations the batch needs
     */
    public int operations() {
        return operations;
    }
}
