package io.etcdkit.testing.check;

import java.util.List;
import java.util.Objects;

/**
 * One kind of problem found by a checker: its name, how often it occurred, and the first occurrences.
 *
 * <p>The count is exact; {@link #samples()} holds at most {@link #SAMPLE_LIMIT} descriptions, the first ones in
 * the checker's deterministic order (usually by revision, then key), so two runs over the same history give the
 * same report. Immutable and thread-safe.
 */
public final class Findings {

    /** How many descriptions a {@code Findings} keeps; the count goes on beyond it. */
    public static final int SAMPLE_LIMIT = 100;

    private final String name;
    private final long count;
    private final List<String> samples;

    Findings(String name, long count, List<String> samples) {
        this.name = Objects.requireNonNull(name, "name");
        this.count = count;
        this.samples = List.copyOf(samples);
    }

    /**
     * What kind of problem this is, e.g. {@code "lost"}.
     *
     * @return the name, never empty
     */
    public String name() {
        return name;
    }

    /**
     * How many problems of this kind were found.
     *
     * @return the exact count, {@code 0} if none
     */
    public long count() {
        return count;
    }

    /**
     * Whether no problem of this kind was found.
     *
     * @return {@code true} if {@link #count()} is zero
     */
    public boolean isEmpty() {
        return count == 0;
    }

    /**
     * Descriptions of the first problems in deterministic order, at most {@link #SAMPLE_LIMIT}.
     *
     * @return an unmodifiable list, empty if none
     */
    public List<String> samples() {
        return samples;
    }

    /** The name and count, e.g. {@code "lost: 3"}. */
    @Override
    public String toString() {
        return name + ": " + count;
    }
}
