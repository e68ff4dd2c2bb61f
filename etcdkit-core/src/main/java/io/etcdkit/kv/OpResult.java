package io.etcdkit.kv;

/**
 * The result of one {@link Op}: {@link RangeResult}, {@link PutResult}, {@link DeleteResult} or (for a nested
 * transaction) {@link TxnResult}.
 */
public sealed interface OpResult permits RangeResult, PutResult, DeleteResult, TxnResult {
    /**
     * The store's revision when the operation was applied (for a transaction's operations: the transaction's).
     *
     * @return the store's revision when the operation was applied (for a transaction's operations: the transaction's)
     */
    long revision();
}
