package io.etcdkit.testing.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges a counting semaphore: never more than {@code limit} holders inside at once.
 *
 * <p>Holders call {@link #entered} after acquiring a permit and {@link #left} before releasing it (or the test
 * calls it when it kills the holder or its session expires). Violations (see {@link Report}): an entry that makes
 * more than {@code limit} holders inside (<i>over limit</i>), and a {@code left} by a holder that is not inside
 * (<i>unbalanced</i>, a bug in the test or in the recipe's bookkeeping). A holder may be inside more than once
 * (several permits).
 *
 * <p>Thread-safe; memory is proportional to the holders inside at once.
 */
public final class SemaphoreChecker {

    private static final int MAX_NAMES_SHOWN = 10;

    private final int limit;
    private final Map<String, Integer> inside = new HashMap<>();
    private final FindingsCollector overLimit = new FindingsCollector("over limit");
    private final FindingsCollector unbalanced = new FindingsCollector("unbalanced");
    private int current;
    private int max;
    private long entries;
    private long sequence;

    /**
     * Creates a checker for a semaphore with {@code limit} permits.
     *
     * @param limit the most holders allowed inside at once
     * @throws IllegalArgumentException if {@code limit < 1}
     */
    public SemaphoreChecker(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a semaphore needs at least 1 permit, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Records that {@code holder} entered (holds a permit).
     *
     * @param holder the holder's name
     */
    public synchronized void entered(String holder) {
        Objects.requireNonNull(holder, "holder");
        sequence++;
        entries++;
        inside.merge(holder, 1, Integer::sum);
        current++;
        max = Math.max(max, current);
        if (current > limit) {
            List<String> names = inside.keySet().stream().sorted().limit(MAX_NAMES_SHOWN).toList();
            overLimit.add(sequence, holder, "entry #" + entries + " by " + holder + " made " + current
                    + " holders inside, limit " + limit + ": " + names
                    + (inside.size() > names.size() ? " and " + (inside.size() - names.size()) + " more" : ""));
        }
    }

    /**
     * Records that {@code holder} left (released its permit).
     *
     * @param holder the holder's name
     */
    public synchronized void left(String holder) {
        Objects.requireNonNull(holder, "holder");
        sequence++;
        Integer held = inside.get(holder);
        if (held == null) {
            unbalanced.add(sequence, holder, holder + " left without being inside (event #" + sequence + ")");
            return;
        }
        if (held == 1) {
            inside.remove(holder);
        } else {
            inside.put(holder, held - 1);
        }
        current--;
    }

    /**
     * The most holders that were inside at once so far.
     *
     * @return the maximum, {@code 0} before any entry
     */
    public synchronized int maxConcurrent() {
        return max;
    }

    /**
     * Judges everything recorded so far.
     *
     * @return the report
     */
    public synchronized Report check() {
        return new Report(overLimit.build(), unbalanced.build(), limit, max, entries, current);
    }

    /** The verdict of a {@link SemaphoreChecker}: findings {@link #overLimit()} and {@link #unbalanced()}. Immutable. */
    public static final class Report extends CheckReport {

        private final Findings overLimit;
        private final Findings unbalanced;
        private final int limit;
        private final int maxConcurrent;
        private final long entries;
        private final int insideAtEnd;

        Report(Findings overLimit, Findings unbalanced, int limit, int maxConcurrent, long entries, int insideAtEnd) {
            super("SemaphoreChecker", List.of(overLimit, unbalanced));
            this.overLimit = overLimit;
            this.unbalanced = unbalanced;
            this.limit = limit;
            this.maxConcurrent = maxConcurrent;
            this.entries = entries;
            this.insideAtEnd = insideAtEnd;
        }

        /** {@return entries that made more holders inside than the limit} */
        public Findings overLimit() {
            return overLimit;
        }

        /** {@return departures of holders that were not inside} */
        public Findings unbalanced() {
            return unbalanced;
        }

        /** {@return the most holders inside at once} */
        public int maxConcurrent() {
            return maxConcurrent;
        }

        @Override
        public String summary() {
            return entries + (entries == 1 ? " entry" : " entries") + ", max " + maxConcurrent
                    + " concurrent (limit " + limit + "), " + overLimit.count() + " over the limit, "
                    + unbalanced.count() + " unbalanced, " + insideAtEnd + " still inside";
        }
    }
}
