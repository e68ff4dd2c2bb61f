package io.etcdkit.testing.check;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Judges a local copy of a prefix (a cached view, a replica built from watch events) against a reference state of
 * the same prefix <em>at the same revision</em>, typically a range read of the store at the revision the copy
 * reports.
 *
 * <p>Each {@link #compare} is one checkpoint: every key of the reference must be in the copy with the same value and
 * mod revision. Violations (see {@link Report}): a key of the reference absent from the copy (<i>missing</i>), a key
 * of the copy absent from the reference (<i>extra</i>: a lost delete or an invented key), and a key whose value or
 * mod revision differs (<i>stale</i>: a lost or reordered update). Several checkpoints accumulate into one report.
 *
 * <p>Thread-safe; memory is bounded by the samples kept per kind of problem.
 */
public final class ViewConsistencyChecker {

    /**
     * One key's state.
     *
     * @param value       the value as text (any stable rendering of the bytes)
     * @param modRevision the revision of the key's last change
     */
    public record Version(String value, long modRevision) {
        /**
         * Rejects a null value.
         *
         * @param value       the value as text
         * @param modRevision the revision of the key's last change
         */
        public Version {
            Objects.requireNonNull(value, "value");
        }
    }

    private final FindingsCollector missing = new FindingsCollector("missing");
    private final FindingsCollector extra = new FindingsCollector("extra");
    private final FindingsCollector stale = new FindingsCollector("stale");
    private long checkpoints;
    private long keysCompared;
    private long lastRevision;

    /**
     * Compares {@code copy} with {@code reference}, both taken at {@code revision}.
     *
     * @param label     names the checkpoint in findings, e.g. {@code "after kill 2"}
     * @param revision  the revision both states reflect
     * @param copy      the state under test, key to version
     * @param reference the expected state, key to version
     * @return the number of problems this checkpoint found
     */
    public synchronized long compare(String label, long revision, Map<String, Version> copy,
            Map<String, Version> reference) {
        Objects.requireNonNull(label, "label");
        long before = missing.count() + extra.count() + stale.count();
        checkpoints++;
        lastRevision = revision;
        TreeSet<String> keys = new TreeSet<>(reference.keySet());
        keys.addAll(copy.keySet());
        for (String key : keys) {
            keysCompared++;
            Version want = reference.get(key);
            Version got = copy.get(key);
            String where = label + " @" + revision + ": " + key;
            if (got == null) {
                missing.add(revision, key, where + " is " + want + " in the reference, absent in the copy");
            } else if (want == null) {
                extra.add(revision, key, where + " is " + got + " in the copy, absent in the reference");
            } else if (!got.equals(want)) {
                stale.add(revision, key, where + " is " + got + " in the copy, " + want + " in the reference");
            }
        }
        return missing.count() + extra.count() + stale.count() - before;
    }

    /**
     * Judges every checkpoint so far.
     *
     * @return the report
     */
    public synchronized Report check() {
        return new Report(missing.build(), extra.build(), stale.build(), checkpoints, keysCompared, lastRevision);
    }

    /** The verdict of a {@link ViewConsistencyChecker}: {@link #missing()}, {@link #extra()}, {@link #stale()}. */
    public static final class Report extends CheckReport {
        private final Findings missing;
        private final Findings extra;
        private final Findings stale;
        private final long checkpoints;
        private final long keysCompared;
        private final long lastRevision;

        Report(Findings missing, Findings extra, Findings stale, long checkpoints, long keysCompared,
                long lastRevision) {
            super("ViewConsistencyChecker", List.of(missing, extra, stale));
            this.missing = missing;
            this.extra = extra;
            this.stale = stale;
            this.checkpoints = checkpoints;
            this.keysCompared = keysCompared;
            this.lastRevision = lastRevision;
        }

        /** {@return keys of the reference absent from the copy} */
        public Findings missing() {
            return missing;
        }

        /** {@return keys of the copy absent from the reference} */
        public Findings extra() {
            return extra;
        }

        /** {@return keys whose value or mod revision differs} */
        public Findings stale() {
            return stale;
        }

        /** {@return how many checkpoints were compared} */
        public long checkpoints() {
            return checkpoints;
        }

        @Override
        public String summary() {
            return count(checkpoints, "checkpoint") + " (last at revision " + lastRevision + "), "
                    + count(keysCompared, "key") + " compared: " + missing.count() + " missing, " + extra.count()
                    + " extra, " + stale.count() + " stale";
        }
    }
}
