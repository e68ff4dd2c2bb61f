package io.etcdkit.testing.check;

import java.util.Arrays;

/**
 * An append-only columnar log of watch records: type, key id, revision and value, about 17 bytes per record plus
 * the retained value strings.
 *
 * <p>Thread-safe: {@link #add} and {@link #freeze} synchronize on the log. A {@link Frozen} view shares the
 * arrays; that is safe because entries below its size are never written again.
 */
final class EventLog {

    static final byte PUT = 0;
    static final byte DELETE = 1;
    static final byte COMPACTED = 2;
    static final byte RESYNCED = 3;
    static final byte DISCONNECTED = 4;
    static final byte RESUMED = 5;

    /** The first {@code size} records of a log at one moment. Read-only by convention. */
    record Frozen(int size, byte[] types, int[] keys, long[] revisions, String[] values) {

        boolean isChange(int position) {
            return types[position] <= DELETE;
        }
    }

    private byte[] types = new byte[256];
    private int[] keys = new int[256];
    private long[] revisions = new long[256];
    private String[] values = new String[256];
    private int size;

    synchronized void add(byte type, int key, long revision, String value) {
        if (size == types.length) {
            int capacity = size + (size >> 1);
            types = Arrays.copyOf(types, capacity);
            keys = Arrays.copyOf(keys, capacity);
            revisions = Arrays.copyOf(revisions, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        types[size] = type;
        keys[size] = key;
        revisions[size] = revision;
        values[size] = value;
        size++;
    }

    synchronized int size() {
        return size;
    }

    synchronized Frozen freeze() {
        return new Frozen(size, types, keys, revisions, values);
    }
}
