package io.etcdkit.testing.check;

import java.util.Arrays;

/**
 * The memo of the linearizability search: a hash set of (set of linearized operations as a bitset, register
 * value), stored flat in primitive arrays with open addressing, so that millions of configurations cost tens of
 * bytes each. Not thread-safe (one per search).
 */
final class ConfigurationSet {

    /** How many longs of bitsets one set may hold (64 MiB) before {@link #isFull()} says the search must stop. */
    static final long MAX_WORDS = 8L << 20;

    private final int width;
    private long[] words;
    private int[] states;
    private int[] hashes;
    private int size;
    private int mask;

    ConfigurationSet(int width) {
        this.width = width;
        allocate(1 << 10);
    }

    /**
     * Adds a configuration.
     *
     * @return {@code true} if it was not there yet
     */
    boolean add(long[] bits, int state) {
        int hash = hash(bits, state);
        int slot = hash & mask;
        while (states[slot] >= 0) {
            if (hashes[slot] == hash && states[slot] == state && sameBits(slot, bits)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        put(slot, bits, state, hash);
        if (++size * 2 > states.length) {
            grow();
        }
        return true;
    }

    int size() {
        return size;
    }

    /** Whether the memo reached its memory bound. */
    boolean isFull() {
        return (long) size * width > MAX_WORDS;
    }

    private void put(int slot, long[] bits, int state, int hash) {
        System.arraycopy(bits, 0, words, slot * width, width);
        states[slot] = state;
        hashes[slot] = hash;
    }

    private boolean sameBits(int slot, long[] bits) {
        int base = slot * width;
        for (int i = 0; i < width; i++) {
            if (words[base + i] != bits[i]) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        long[] oldWords = words;
        int[] oldStates = states;
        int[] oldHashes = hashes;
        allocate(states.length * 2);
        long[] bits = new long[width];
        for (int old = 0; old < oldStates.length; old++) {
            if (oldStates[old] >= 0) {
                System.arraycopy(oldWords, old * width, bits, 0, width);
                int slot = oldHashes[old] & mask;
                while (states[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                put(slot, bits, oldStates[old], oldHashes[old]);
            }
        }
    }

    private void allocate(int capacity) {
        words = new long[capacity * width];
        states = new int[capacity];
        Arrays.fill(states, -1);
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    private static int hash(long[] bits, int state) {
        long h = state * 0x9E3779B97F4A7C15L;
        for (long word : bits) {
            h = (h ^ word) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ (h >>> 32));
    }
}
