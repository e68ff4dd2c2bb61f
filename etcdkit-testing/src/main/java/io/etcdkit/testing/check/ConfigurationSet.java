package io.etcdkit.testing.check;

import java.util.Arrays;

/**
 * The memo of the linearizability search: a hash set of configurations (an encoded set of linearized operations
 * plus the register's value), each a variable-length run of longs stored flat in one arena with open addressing,
 * so that millions of configurations cost tens of bytes each. Not thread-safe (one per search).
 */
final class ConfigurationSet {

    /** How many longs the arena may hold (64 MiB) before {@link #isFull()} says the search must stop. */
    static final int MAX_WORDS = 8 << 20;

    private long[] arena = new long[1 << 12];
    private int used;
    private int[] offsets;
    private int[] lengths;
    private int[] states;
    private int[] hashes;
    private int size;
    private int mask;

    ConfigurationSet() {
        allocate(1 << 10);
    }

    /**
     * Adds a configuration: the first {@code length} longs of {@code key} with {@code state}.
     *
     * @return {@code true} if it was not there yet
     */
    boolean add(long[] key, int length, int state) {
        int hash = hash(key, length, state);
        int slot = hash & mask;
        while (states[slot] >= 0) {
            if (hashes[slot] == hash && states[slot] == state && same(slot, key, length)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (used + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(used + length, arena.length * 2));
        }
        System.arraycopy(key, 0, arena, used, length);
        offsets[slot] = used;
        lengths[slot] = length;
        states[slot] = state;
        hashes[slot] = hash;
        used += length;
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
        return used > MAX_WORDS;
    }

    private boolean same(int slot, long[] key, int length) {
        if (lengths[slot] != length) {
            return false;
        }
        int base = offsets[slot];
        for (int i = 0; i < length; i++) {
            if (arena[base + i] != key[i]) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        int[] oldOffsets = offsets;
        int[] oldLengths = lengths;
        int[] oldStates = states;
        int[] oldHashes = hashes;
        allocate(oldStates.length * 2);
        for (int old = 0; old < oldStates.length; old++) {
            if (oldStates[old] >= 0) {
                int slot = oldHashes[old] & mask;
                while (states[slot] >= 0) {
                    slot = (slot + 1) & mask;
                }
                offsets[slot] = oldOffsets[old];
                lengths[slot] = oldLengths[old];
                states[slot] = oldStates[old];
                hashes[slot] = oldHashes[old];
            }
        }
    }

    private void allocate(int capacity) {
        offsets = new int[capacity];
        lengths = new int[capacity];
        states = new int[capacity];
        Arrays.fill(states, -1);
        hashes = new int[capacity];
        mask = capacity - 1;
    }

    private static int hash(long[] key, int length, int state) {
        long h = (state + 1) * 0x9E3779B97F4A7C15L;
        for (int i = 0; i < length; i++) {
            h = (h ^ key[i]) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return (int) (h ^ (h >>> 32));
    }
}
