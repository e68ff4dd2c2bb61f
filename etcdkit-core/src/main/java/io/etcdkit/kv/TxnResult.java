package io.etcdkit.kv;

import io.etcdkit.InvalidArgumentException;
import java.util.List;

/**
 * The result of a {@link Transaction}.
 *
 * @param succeeded whether every compare held (so the {@code then} branch ran)
 * @param revision the store's revision after the transaction
 * @param results one result per operation of the branch that ran, in order
 */
public record TxnResult(boolean succeeded, long revision, List<OpResult> results) implements OpResult {
    /**
     * Copies the list.
     *
     * @param succeeded the succeeded
     * @param revision the revision
     * @param results the results
     */
    public TxnResult {
        results = List.copyOf(results);
    }

    /**
     * The result of operation {@code index}, which must be a read.
     *
     * @param index the 0-based index
     * @return the result of operation {@code index}, which must be a read
     */
    public RangeResult rangeResult(int index) {
        return typed(index, RangeResult.class);
    }

    /**
     * The result of operation {@code index}, which must be a put.
     *
     * @param index the 0-based index
     * @return the result of operation {@code index}, which must be a put
     */
    public PutResult putResult(int index) {
        return typed(index, PutResult.class);
    }

    /**
     * The result of operation {@code index}, which must be a delete.
     *
     * @param index the 0-based index
     * @return the result of operation {@code index}, which must be a delete
     */
    public DeleteResult deleteResult(int index) {
        return typed(index, DeleteResult.class);
    }

    /**
     * The result of operation {@code index}, which must be a nested transaction.
     *
     * @param index the 0-based index
     * @return the result of operation {@code index}, which must be a nested transaction
     */
    public TxnResult txnResult(int index) {
        return typed(index, TxnResult.class);
    }

    private <T extends OpResult> T typed(int index, Class<T> type) {
        if (index < 0 || index >= results.size()) {
            throw new InvalidArgumentException("the " + (succeeded ? "then" : "otherwise") + " branch had "
                    + results.size() + " operations; there is no result " + index);
        }
        OpResult r = results.get(index);
        if (!type.isInstance(r)) {
            throw new InvalidArgumentException("result " + index + " is a " + r.getClass().getSimpleName()
                    + ", not a " + type.getSimpleName());
        }
        return type.cast(r);
    }
}
