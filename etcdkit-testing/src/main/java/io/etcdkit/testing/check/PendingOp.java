package io.etcdkit.testing.check;

/**
 * An operation recorded by {@link RegisterHistory} that has been invoked and waits for its one completion.
 *
 * <p>Call exactly one completion method, once, from any thread; a second completion throws
 * {@link IllegalStateException}, and so does a completion of the wrong kind (e.g. {@link #readOk} on a write). An
 * operation never completed stays {@link RegisterOp.Outcome#PENDING} and is judged like an unknown outcome.
 *
 * <p>Choose the outcome by what is <em>known</em>, not by what is likely: {@link #failed} only when the operation
 * certainly did not take effect (refused before it was sent, or a compare the server reported false), and
 * {@link #unknown} whenever it may have taken effect (deadline passed or connection lost after sending). Calling
 * {@code failed} for an operation that did apply hides the very bugs the checker looks for. For a compare-and-set
 * that the server answered "compare false", prefer {@link #casOk casOk(false)}: it says what the register was
 * <em>not</em>, which the checker uses.
 */
public interface PendingOp {

    /**
     * Completes a read with the value it returned.
     *
     * @param valueOrNullWhenAbsent the value read, or {@code null} if the key did not exist
     * @throws IllegalStateException if this operation is not a read or was already completed
     */
    void readOk(String valueOrNullWhenAbsent);

    /**
     * Completes a write that the server acknowledged.
     *
     * @throws IllegalStateException if this operation is not a write or was already completed
     */
    void writeOk();

    /**
     * Completes a compare-and-set with the server's answer.
     *
     * @param applied {@code true} if the compare held and the value was written, {@code false} if the register
     *                held something other than the expected value (nothing was written)
     * @throws IllegalStateException if this operation is not a compare-and-set or was already completed
     */
    void casOk(boolean applied);

    /**
     * Completes the operation as certainly not applied; the checker drops it.
     *
     * @param why a short reason for the report, e.g. the exception's class
     * @throws IllegalStateException if this operation was already completed
     */
    void failed(String why);

    /**
     * Completes the operation as possibly applied: the checker may place it anywhere after its invocation, or
     * leave it out (a read with an unknown outcome constrains nothing and is dropped).
     *
     * @param why a short reason for the report, e.g. the exception's class
     * @throws IllegalStateException if this operation was already completed
     */
    void unknown(String why);
}
