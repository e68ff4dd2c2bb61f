package io.etcdkit.testing.check;

import java.util.Arrays;

/**
 * The memo of the linearizability search: a hash set of configurations (an encoded set of linearized operations
 * plus the register's value), each a variable-length run of longs stored flat in one arena with open addressing,
 * so that millions of configurations cost tens of bytes each. Each configuration also keeps the fewest
 * interchangeable operations used to reach it: reaching it again having used more of them is no new
 * configuration (fewer used leaves more to use, so it can do all the other could). Not thread-safe (one per
 * search).
 */
final class ConfigurationSet {

    /** How many longs the arena may hold (64 MiB) before {@link #isFull()} says the search must stop. */
    static final int MAX_WORDS = 8 << 20;

    private long[] arena = new long[1 << 12];
    private int filled;
    private int[] offsets;
    private int[] lengths;
    private int[] states;
    private int[] hashes;
    private int[] used;
    private int size;
    private int mask;

    ConfigurationSet() {
        allocate(1 << 10);
    }

    /**
     * Adds a configuration: the first {@code length} longs of {@code key} with {@code state}, reached having used
     * {@code interchangeableUsed} interchangeable operations.
     *
     * @return {@code true} if it was not there yet, or only having used more interchangeable operations
     */
    boolean add(long[] key, int length, int state, int interchangeableUsed) {
        int hash = hash(key, length, state);
        int slot = hash & mask;
        while (states[slot] >= 0) {
            if (hashes[slot] == hash && states[slot] == state && same(slot, key, length)) {
                if (interchangeableUsed < used[slot]) {
                    used[slot] = interchangeableUsed;
                    return true;
                }
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if (filled + length > arena.length) {
            arena = Arrays.copyOf(arena, Math.max(filled + length, arena.length * 2));
        }
        System.arraycopy(key, 0, arena, filled, length);
        offsets[slot] = filled;
        lengths[slot] = length;
        states[slot] = state;
        hashes[slot] = hash;
        used[slot] = interchangeableUsed;
        filled += length;
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
        return filled > MAX_WORDS;
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
        int[] oldUsed = used;
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
                used[slot] = oldUsed[old];
            }
        }
    }

    private void allocate(int capacity) {
        offsets = new int[capacity];
        lengths = new int[capacity];
        states = new int[capacity];
        Arrays.fill(states, -1);
        hashes = new int[capacity];
        used = new int[capacity];
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
