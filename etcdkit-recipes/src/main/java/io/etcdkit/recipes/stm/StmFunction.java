package io.etcdkit.recipes.stm;

/**
 * The body of an {@link Stm} transaction: reads and writes through the given {@link StmTxn} and returns a
 * result.
 *
 * <p><b>The function re-runs, so it must not have side effects outside the {@code StmTxn}.</b> When the commit
 * finds that another writer changed what the function read, the function is called again from the start with
 * a fresh {@code StmTxn}. Sending messages, writing files, or changing shared objects from inside would then
 * happen once per attempt. Compute inside; act on the returned result after {@link Stm#run} returns.
 *
 * <p>A {@link RuntimeException} (or {@link Error}) thrown by the function aborts the run: nothing is written and
 * the exception reaches the caller of {@link Stm#run} unchanged.
 *
 * @param <R> the result type; {@code null} is allowed
 */
@FunctionalInterface
public interface StmFunction<R> {
    /**
     * Runs one attempt of the transaction.
     *
     * @param txn the transaction to commit
     * @return the transaction's result
     */
    R apply(StmTxn txn);
}
