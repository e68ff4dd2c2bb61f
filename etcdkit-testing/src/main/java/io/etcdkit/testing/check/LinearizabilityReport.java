package io.etcdkit.testing.check;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The verdict of {@link LinearizabilityChecker} on a register history.
 *
 * <p>{@link Verdict#VIOLATION} is definite: some key's operations admit no linearization, and {@code violations}
 * explains each such key. {@link Verdict#INCONCLUSIVE} means no violation was found but the budget ran out before
 * some key was decided; {@code inconclusiveKeys} names them. Only {@link Verdict#LINEARIZABLE} is a pass.
 *
 * @param verdict          the overall verdict
 * @param keys             how many keys (independent registers) the history touched
 * @param operations       how many operations the history held, all outcomes included
 * @param unknownOutcomes  how many of them had an unknown or pending outcome
 * @param violations       one multi-line explanation per non-linearizable key, in key order; empty unless
 *                         {@link Verdict#VIOLATION}
 * @param took             how long the check took
 * @param inconclusiveKeys one line per key whose search ran out of budget, in key order
 */
public record LinearizabilityReport(Verdict verdict, int keys, int operations, int unknownOutcomes,
                                    List<String> violations, Duration took, List<String> inconclusiveKeys) {

    /** The overall verdict. */
    public enum Verdict {
        /** Every key's operations have a linearization. */
        LINEARIZABLE,
        /** Some key's operations have none. */
        VIOLATION,
        /** No violation found, but the budget ran out on some key. */
        INCONCLUSIVE
    }

    /**
     * Copies the lists.
     *
     * @param verdict          the overall verdict
     * @param keys             how many keys the history touched
     * @param operations       how many operations the history held
     * @param unknownOutcomes  how many of them had an unknown or pending outcome
     * @param violations       one explanation per non-linearizable key
     * @param took             how long the check took
     * @param inconclusiveKeys one line per key whose search ran out of budget
     * @throws NullPointerException if any argument is null
     */
    public LinearizabilityReport {
        Objects.requireNonNull(verdict, "verdict");
        violations = List.copyOf(violations);
        Objects.requireNonNull(took, "took");
        inconclusiveKeys = List.copyOf(inconclusiveKeys);
    }

    /**
     * Whether the history passed.
     *
     * @return {@code verdict() == Verdict.LINEARIZABLE}
     */
    public boolean ok() {
        return verdict == Verdict.LINEARIZABLE;
    }

    /**
     * One line for logs, e.g. {@code LINEARIZABLE: 64 keys, 20000 operations, 198 unknown outcomes, 0 violations,
     * 0 inconclusive keys, 1234 ms}.
     *
     * @return the summary
     */
    public String summary() {
        return verdict + ": " + CheckReport.count(keys, "key") + ", " + CheckReport.count(operations, "operation")
                + ", " + CheckReport.count(unknownOutcomes, "unknown outcome") + ", "
                + CheckReport.count(violations.size(), "violation") + ", " + inconclusiveKeys.size()
                + " inconclusive keys, " + took.toMillis() + " ms";
    }

    /**
     * Throws unless the history is linearizable.
     *
     * @throws AssertionError with the summary, every violation and every inconclusive key, if not {@link #ok()}
     */
    public void assertLinearizable() {
        if (!ok()) {
            throw new AssertionError(toString());
        }
    }

    /** The summary followed by every violation and every inconclusive key. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("linearizability: ").append(summary());
        for (String violation : violations) {
            text.append(System.lineSeparator()).append(violation);
        }
        for (String key : inconclusiveKeys) {
            text.append(System.lineSeparator()).append(key);
        }
        return text.toString();
    }
}
