package io.etcdkit.kv;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An etcd transaction: if every compare holds, the {@code then} operations run, otherwise the {@code otherwise}
 * operations; all of it atomically at one revision. Immutable; it can also be nested as an {@link Op}.
 *
 * <pre>{@code
 * TxnResult r = kv.commit(Transaction
 *         .when(Compare.modRevision("counter").equalTo(seen.modRevision()))
 *         .then(Put.of("counter", "8"))
 *         .otherwise(Range.key("counter")));
 * }</pre>
 *
 * <p>etcd limits a transaction to {@code --max-txn-ops} operations (128 by default) and forbids writing one key
 * twice in it; both are refused with a typed error and nothing is applied.
 */
public final class Transaction implements Op {
    private final List<Compare> compares;
    private final List<Op> then;
    private final List<Op> otherwise;

    private Transaction(List<Compare> compares, List<Op> then, List<Op> otherwise) {
        this.compares = List.copyOf(compares);
        this.then = List.copyOf(then);
        this.otherwise = List.copyOf(otherwise);
    }

    /**
     * A transaction with these conditions (none means "always").
     *
     * @param compares the conditions
     * @return a transaction with these conditions (none means "always")
     */
    public static Transaction when(Compare... compares) {
        return new Transaction(Arrays.asList(compares), List.of(), List.of());
    }

    /**
     * A transaction with these conditions.
     *
     * @param compares the conditions
     * @return a transaction with these conditions
     */
    public static Transaction when(List<Compare> compares) {
        return new Transaction(compares, List.of(), List.of());
    }

    /**
     * A transaction without conditions: the operations always run, atomically.
     *
     * @param ops the operations
     * @return a transaction without conditions: the operations always run, atomically
     */
    public static Transaction always(Op... ops) {
        return new Transaction(List.of(), Arrays.asList(ops), List.of());
    }

    /**
     * Adds operations to run when every compare holds.
     *
     * @param ops the operations
     * @return a {@code Transaction} that adds operations to run when every compare holds
     */
    public Transaction then(Op... ops) {
        return new Transaction(compares, concat(then, Arrays.asList(ops)), otherwise);
    }

    /**
     * Adds operations to run when every compare holds.
     *
     * @param ops the operations
     * @return a {@code Transaction} that adds operations to run when every compare holds
     */
    public Transaction then(List<? extends Op> ops) {
        return new Transaction(compares, concat(then, ops), otherwise);
    }

    /**
     * Adds operations to run when some compare fails.
     *
     * @param ops the operations
     * @return a {@code Transaction} that adds operations to run when some compare fails
     */
    public Transaction otherwise(Op... ops) {
        return new Transaction(compares, then, concat(otherwise, Arrays.asList(ops)));
    }

    /**
     * Adds operations to run when some compare fails.
     *
     * @param ops the operations
     * @return a {@code Transaction} that adds operations to run when some compare fails
     */
    public Transaction otherwise(List<? extends Op> ops) {
        return new Transaction(compares, then, concat(otherwise, ops));
    }

    /**
     * The conditions.
     *
     * @return the conditions
     */
    public List<Compare> compares() {
        return compares;
    }

    /**
     * The operations run when every compare holds.
     *
     * @return the operations run when every compare holds
     */
    public List<Op> thenOps() {
        return then;
    }

    /**
     * The operations run otherwise.
     *
     * @return the operations run otherwise
     */
    public List<Op> otherwiseOps() {
        return otherwise;
    }

    /**
     * The number of operations in the larger branch, counting nested transactions' operations.
     *
     * @return the number of operations in the larger branch, counting nested transactions' operations
     */
    public int operationCount() {
        return Math.max(count(then), count(otherwise));
    }

    private static int count(List<Op> ops) {
        int n = 0;
        for (Op op : ops) {
            n += op instanceof Transaction t ? Math.max(1, t.operationCount()) : 1;
        }
        return n;
    }

    private static List<Op> concat(List<Op> a, List<? extends Op> b) {
        List<Op> out = new ArrayList<>(a.size() + b.size());
        out.addAll(a);
        for (Op op : b) {
            out.add(java.util.Objects.requireNonNull(op, "op"));
        }
        return out;
    }

    @Override
    public String toString() {
        return "transaction (" + compares.size() + " compares, " + then.size() + " then, " + otherwise.size()
                + " otherwise)";
    }
}
