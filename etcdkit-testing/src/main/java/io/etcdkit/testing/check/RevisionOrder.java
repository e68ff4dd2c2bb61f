package io.etcdkit.testing.check;

/**
 * A stable sort of record positions by a {@code long} column (a revision or a register value) without boxing.
 *
 * <p>Histories arrive almost sorted, so an already sorted input is detected in one pass; otherwise a bottom-up
 * merge sort runs in O(n log n) with one scratch array. Stateless and thread-safe.
 */
final class RevisionOrder {

    private RevisionOrder() {
    }

    /**
     * Sorts {@code positions} (in place, and returns it) by {@code column[position]}; equal values keep their
     * relative order.
     */
    static int[] sort(int[] positions, long[] column) {
        int n = positions.length;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = column[positions[i - 1]] <= column[positions[i]];
        }
        if (sorted) {
            return positions;
        }
        int[] from = positions;
        int[] to = new int[n];
        for (int width = 1; width < n; width *= 2) {
            for (int lo = 0; lo < n; lo += 2 * width) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + 2 * width, n);
                int i = lo;
                int j = mid;
                int k = lo;
                while (i < mid && j < hi) {
                    to[k++] = column[from[j]] < column[from[i]] ? from[j++] : from[i++];
                }
                while (i < mid) {
                    to[k++] = from[i++];
                }
                while (j < hi) {
                    to[k++] = from[j++];
                }
            }
            int[] swap = from;
            from = to;
            to = swap;
        }
        if (from != positions) {
            System.arraycopy(from, 0, positions, 0, n);
        }
        return positions;
    }

    /**
     * The first index {@code i} of {@code sorted} (sorted by {@code column}) with {@code column[sorted[i]] >= value},
     * or {@code sorted.length}.
     */
    static int lowerBound(int[] sorted, long[] column, long value) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (column[sorted[mid]] < value) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
