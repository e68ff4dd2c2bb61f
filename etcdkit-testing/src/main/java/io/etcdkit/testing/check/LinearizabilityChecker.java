package io.etcdkit.testing.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.etcdkit.testing.check.LinearizabilityReport.Verdict;
import io.etcdkit.testing.check.RegisterOp.Outcome;

/**
 * Decides whether a history of reads, writes and compare-and-sets on key-value registers is linearizable: whether
 * every operation can be given one instant between its invocation and its completion so that, in the order of
 * those instants, every read returns the last value written and every compare-and-set's answer matches the value
 * then held.
 *
 * <p><b>Model.</b> Each key is an independent register that starts absent ({@code null}). A read returns the
 * value (or absent); a write sets the value; a compare-and-set with {@code expected} (absent when {@code null})
 * sets the value if the register holds {@code expected} — {@code casApplied = false} is a read-like operation that
 * observed a value other than {@code expected}.
 *
 * <p><b>Outcomes.</b> {@link Outcome#FAILED} operations are dropped (they certainly did not happen). An
 * {@link Outcome#UNKNOWN} or {@link Outcome#PENDING} write or compare-and-set may or may not have taken effect: it
 * has no completion time (completion = +infinity), so the search may place it at any point after its invocation,
 * or leave it out. Reads with unknown, pending or failed outcomes are dropped: they constrain nothing.
 *
 * <p><b>Search.</b> Linearizability is compositional (P-compositionality, Herlihy &amp; Wing), so each key's
 * sub-history is checked on its own, in parallel. Each key is searched with Wing &amp; Gong's algorithm as refined
 * by Lowe (the algorithm of Porcupine and Knossos' "linear" checker): a depth-first search over the call/return
 * entries in time order that linearizes a pending call when the model allows it and backtracks when it meets the
 * return of an operation not yet linearized, with memoization of (set of linearized operations, register value)
 * so that no configuration is explored twice. Before searching, unknown operations that cannot matter are dropped
 * (invoked after every known operation of the key completed, or a compare-and-set whose expected value is never
 * written); this never changes the verdict.
 *
 * <p><b>Budget.</b> The search is exponential in the worst case. {@code budget} bounds the whole run; a key not
 * decided when it is spent makes the verdict {@link Verdict#INCONCLUSIVE} (unless another key has a violation)
 * and is named in {@link LinearizabilityReport#inconclusiveKeys()}. The checker never reports a violation or a
 * pass it did not prove.
 *
 * <p><b>Explanations.</b> For a non-linearizable key the report gives the longest linearizable prefix the search
 * found (its last operations and the register's value after them) and the operations that could not be placed
 * next, each with process, kind, arguments, result and start/end in ms relative to the history's first invocation.
 *
 * <p>Stateless and thread-safe.
 */
public final class LinearizabilityChecker {

    private LinearizabilityChecker() {
    }

    /**
     * Checks a history.
     *
     * @param ops    the operations, in any order (e.g. {@link RegisterHistory#operations()})
     * @param budget the most time the search may take, e.g. {@code Duration.ofSeconds(30)}
     * @return the verdict with explanations
     * @throws NullPointerException     if {@code ops}, an operation or {@code budget} is null
     * @throws IllegalArgumentException if {@code budget} is negative
     */
    public static LinearizabilityReport check(List<RegisterOp> ops, Duration budget) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("budget must not be negative, was " + budget);
        }
        long started = System.nanoTime();
        long deadline = started + saturatedNanos(budget);
        Map<String, List<RegisterOp>> byKey = new TreeMap<>();
        long origin = Long.MAX_VALUE;
        int unknown = 0;
        for (RegisterOp op : ops) {
            Objects.requireNonNull(op, "an operation in ops");
            byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
            origin = Math.min(origin, op.invokeNanos());
            if (op.outcome() == Outcome.UNKNOWN || op.outcome() == Outcome.PENDING) {
                unknown++;
            }
        }
        long originNanos = origin;
        List<Map.Entry<String, List<RegisterOp>>> keys = new ArrayList<>(byKey.entrySet());
        List<RegisterSearch.Result> results = keys.parallelStream()
                .map(e -> new RegisterSearch(e.getKey(), e.getValue(), originNanos).run(deadline))
                .toList();

        List<String> violations = new ArrayList<>();
        List<String> inconclusive = new ArrayList<>();
        for (RegisterSearch.Result result : results) {
            switch (result.verdict()) {
                case VIOLATION -> violations.add(result.explanation());
                case INCONCLUSIVE -> inconclusive.add(result.explanation());
                case LINEARIZABLE -> { }
            }
        }
        Verdict verdict = !violations.isEmpty() ? Verdict.VIOLATION
                : !inconclusive.isEmpty() ? Verdict.INCONCLUSIVE : Verdict.LINEARIZABLE;
        return new LinearizabilityReport(verdict, byKey.size(), ops.size(), unknown, violations,
                Duration.ofNanos(System.nanoTime() - started), inconclusive);
    }

    private static long saturatedNanos(Duration budget) {
        try {
            return Math.min(budget.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 4;
        }
    }
}
