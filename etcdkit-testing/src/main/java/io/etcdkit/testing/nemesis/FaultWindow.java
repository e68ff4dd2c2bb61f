package io.etcdkit.testing.nemesis;

import java.util.Objects;

/**
 * One fault the {@link Nemesis} injected: what, on whom, and when, in {@link System#nanoTime()} units, so that a
 * checker or report can shade the window and relate operations to it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param kind       the kind of fault
 * @param target     whom it hit: a member name ({@code m1}), a split ({@code m0|m1,m2}), a lease id in hex, or
 *                   {@code cluster}
 * @param startNanos {@link System#nanoTime()} when the fault took effect
 * @param endNanos   {@link System#nanoTime()} when it was healed (equal to {@code startNanos} for an instantaneous
 *                   fault such as a compaction)
 * @param detail     what exactly was done, for humans (e.g. {@code compacted at revision 1234})
 */
public record FaultWindow(FaultKind kind, String target, long startNanos, long endNanos, String detail) {

    /**
     * Validates the fields.
     *
     * @param kind       the kind of fault
     * @param target     whom it hit
     * @param startNanos when it took effect ({@link System#nanoTime()})
     * @param endNanos   when it was healed ({@link System#nanoTime()})
     * @param detail     what exactly was done
     * @throws NullPointerException     if {@code kind}, {@code target} or {@code detail} is null
     * @throws IllegalArgumentException if {@code endNanos} is before {@code startNanos}
     */
    public FaultWindow {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(detail, "detail");
        if (endNanos - startNanos < 0) {
            throw new IllegalArgumentException("endNanos (" + endNanos + ") is before startNanos (" + startNanos + ")");
        }
    }

    /**
     * How long the fault lasted, in nanoseconds.
     *
     * @return {@code endNanos - startNanos}
     */
    public long lengthNanos() {
        return endNanos - startNanos;
    }

    /**
     * Whether this window and {@code other} share a moment (their closed intervals intersect).
     *
     * @param other another window
     * @return whether they overlap
     */
    public boolean overlaps(FaultWindow other) {
        return startNanos - other.endNanos <= 0 && other.startNanos - endNanos <= 0;
    }
}
