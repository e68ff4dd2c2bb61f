package io.etcdkit.testing.check;

import java.util.List;

/**
 * The verdict of a checker: the problems of each kind it looks for, a one-line summary, and an assertion.
 *
 * <p>A report is clean when every {@link Findings} is empty. {@link #assertClean()} is what a fault test calls at
 * its end; its message lists every kind of problem with its count and the first occurrences, followed by the
 * summary, so a failing run explains itself. Reports are immutable snapshots taken by the checker's
 * {@code check} method and are safe to share between threads.
 */
public abstract class CheckReport {

    /** How many samples of each kind {@link #assertClean()} and {@link #toString()} show. */
    public static final int DEFAULT_SHOWN = 10;

    private final String checker;
    private final List<Findings> findings;

    CheckReport(String checker, List<Findings> findings) {
        this.checker = checker;
        this.findings = List.copyOf(findings);
    }

    /**
     * Every kind of problem this checker looks for, in a fixed order, including the empty ones.
     *
     * @return an unmodifiable list
     */
    public final List<Findings> findings() {
        return findings;
    }

    /**
     * Whether no problem of any kind was found.
     *
     * @return {@code true} if every {@link Findings} is empty
     */
    public final boolean isClean() {
        return findings.stream().allMatch(Findings::isEmpty);
    }

    /**
     * One line with the counts that matter, for logs and assertion messages.
     *
     * @return the summary, never empty
     */
    public abstract String summary();

    /**
     * Throws if any problem was found, showing the first {@value #DEFAULT_SHOWN} of each kind.
     *
     * @throws AssertionError if the report is not clean
     */
    public final void assertClean() {
        assertClean(DEFAULT_SHOWN);
    }

    /**
     * Throws if any problem was found, showing up to {@code maxPerKind} of each kind (at most
     * {@link Findings#SAMPLE_LIMIT} are kept).
     *
     * @param maxPerKind how many samples of each kind the message lists
     * @throws AssertionError if the report is not clean
     */
    public final void assertClean(int maxPerKind) {
        if (!isClean()) {
            throw new AssertionError(describe(maxPerKind));
        }
    }

    /**
     * A multi-line description: the summary, then for each non-empty kind its count and first samples.
     *
     * @param maxPerKind how many samples of each kind to list
     * @return the description
     */
    public final String describe(int maxPerKind) {
        StringBuilder text = new StringBuilder(checker).append(isClean() ? ": clean: " : ": FAILED: ").append(summary());
        for (Findings kind : findings) {
            if (kind.isEmpty()) {
                continue;
            }
            text.append(System.lineSeparator()).append("  ").append(kind.count()).append(' ').append(kind.name());
            List<String> samples = kind.samples();
            int shown = Math.min(Math.max(0, maxPerKind), samples.size());
            if (shown < kind.count()) {
                text.append(" (first ").append(shown).append(')');
            }
            text.append(':');
            for (int i = 0; i < shown; i++) {
                text.append(System.lineSeparator()).append("    - ").append(samples.get(i));
            }
        }
        return text.toString();
    }

    /** Same as {@link #describe(int)} with {@value #DEFAULT_SHOWN} samples per kind. */
    @Override
    public String toString() {
        return describe(DEFAULT_SHOWN);
    }

    /** Formats {@code n} with a noun, pluralising with "s" unless {@code n == 1}. */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
