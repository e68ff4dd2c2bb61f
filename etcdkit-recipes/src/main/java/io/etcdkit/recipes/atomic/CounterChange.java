package io.etcdkit.recipes.atomic;

/**
 * What one counter operation did.
 *
 * @param previous the value it was based on
 * @param current the value afterwards (equal to {@code previous} when nothing was written)
 * @param written whether it wrote the counter
 */
record CounterChange(long previous, long current, boolean written) {
}
