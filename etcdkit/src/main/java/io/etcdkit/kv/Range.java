package io.etcdkit.kv;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.Objects;

/**
 * A read of one key, a prefix, or a key range, with its options. Immutable: every option returns a new value.
 *
 * <pre>{@code
 * kv.range(Range.prefix("config/").limit(100).keysOnly());
 * kv.range(Range.key("a").atRevision(42));
 * }</pre>
 *
 * <p>By default a read is linearizable (it sees every write acknowledged before it started) and returns keys in
 * key order. {@link #serializable()} lets any member answer from its local state, faster but possibly stale.
 */
public final class Range implements Op {
    private final Bytes key;
    private final Bytes end; // null: the single key; Keys.TO_END: every key >= key
    private final long limit;
    private final SortTarget sortTarget;
    private final SortOrder sortOrder;
    private final boolean keysOnly;
    private final boolean countOnly;
    private final long revision;
    private final boolean serializable;

    private Range(Bytes key, Bytes end, long limit, SortTarget sortTarget, SortOrder sortOrder, boolean keysOnly,
            boolean countOnly, long revision, boolean serializable) {
        this.key = key;
        this.end = end;
        this.limit = limit;
        this.sortTarget = sortTarget;
        this.sortOrder = sortOrder;
        this.keysOnly = keysOnly;
        this.countOnly = countOnly;
        this.revision = revision;
        this.serializable = serializable;
    }

    private static Range of(Bytes key, Bytes end) {
        return new Range(key, end, 0, null, null, false, false, 0, false);
    }

    /** Reads one key. An empty key is an {@link InvalidArgumentException}. */
    public static Range key(Bytes key) {
        return of(Keys.key(key, "the key to read"), null);
    }

    /** Reads one key given as UTF-8 text. */
    public static Range key(String key) {
        return key(Keys.text(key, "the key to read"));
    }

    /** Reads every key that starts with {@code prefix}; the empty prefix reads every key. */
    public static Range prefix(Bytes prefix) {
        Keys.nonNull(prefix, "prefix");
        return prefix.isEmpty() ? all() : of(prefix, Keys.prefixEnd(prefix));
    }

    /** Reads every key that starts with the UTF-8 text {@code prefix}. */
    public static Range prefix(String prefix) {
        return prefix(Keys.text(prefix, "prefix"));
    }

    /** Reads the keys in {@code [from, to)}. {@code from} must be non-empty and less than {@code to}. */
    public static Range between(Bytes from, Bytes to) {
        Keys.key(from, "the start of the range");
        Keys.key(to, "the end of the range");
        if (from.compareTo(to) >= 0) {
            throw new InvalidArgumentException("the range [" + from + ", " + to + ") is empty: its start must be "
                    + "less than its end");
        }
        return of(from, to);
    }

    /** Reads the keys in {@code [from, to)} given as UTF-8 text. */
    public static Range between(String from, String to) {
        return between(Keys.text(from, "from"), Keys.text(to, "to"));
    }

    /** Reads every key greater than or equal to {@code from}. */
    public static Range from(Bytes from) {
        return of(Keys.key(from, "the start of the range"), Keys.TO_END);
    }

    /** Reads every key greater than or equal to the UTF-8 text {@code from}. */
    public static Range from(String from) {
        return from(Keys.text(from, "from"));
    }

    /** Reads every key. */
    public static Range all() {
        return of(Keys.TO_END, Keys.TO_END);
    }

    /** At most {@code limit} keys (0 means no limit); {@link RangeResult#more()} says whether more exist. */
    public Range limit(long limit) {
        if (limit < 0) {
            throw new InvalidArgumentException("limit must be 0 (no limit) or positive, got " + limit);
        }
        return new Range(key, end, limit, sortTarget, sortOrder, keysOnly, countOnly, revision, serializable);
    }

    /** Sorts the result. */
    public Range sortBy(SortTarget target, SortOrder order) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(order, "order");
        return new Range(key, end, limit, target, order, keysOnly, countOnly, revision, serializable);
    }

    /** Returns keys and metadata without values. */
    public Range keysOnly() {
        return new Range(key, end, limit, sortTarget, sortOrder, true, countOnly, revision, serializable);
    }

    /** Returns only the number of matching keys ({@link RangeResult#count()}). */
    public Range countOnly() {
        return new Range(key, end, limit, sortTarget, sortOrder, keysOnly, true, revision, serializable);
    }

    /**
     * Reads the store as it was at {@code revision} (0 means the latest). A compacted revision fails with
     * {@link io.etcdkit.CompactedException}; a future one with {@link InvalidArgumentException}.
     */
    public Range atRevision(long revision) {
        if (revision < 0) {
            throw new InvalidArgumentException("revision must be 0 (latest) or positive, got " + revision);
        }
        return new Range(key, end, limit, sortTarget, sortOrder, keysOnly, countOnly, revision, serializable);
    }

    /** Lets any member answer from its local state: faster, works without a leader, but may be stale. */
    public Range serializable() {
        return new Range(key, end, limit, sortTarget, sortOrder, keysOnly, countOnly, revision, true);
    }

    /** The first key (or {@code \0} for "every key"). */
    public Bytes key() {
        return key;
    }

    /** The exclusive end of the range; {@code null} for a single key; {@code \0} for "to the end". */
    public Bytes end() {
        return end;
    }

    /** Whether this reads one key. */
    public boolean isSingleKey() {
        return end == null;
    }

    /** The limit, 0 for none. */
    public long limitValue() {
        return limit;
    }

    /** The sort target, or null when unsorted (key order). */
    public SortTarget sortTarget() {
        return sortTarget;
    }

    /** The sort order, or null when unsorted. */
    public SortOrder sortOrder() {
        return sortOrder;
    }

    /** Whether values are left out. */
    public boolean isKeysOnly() {
        return keysOnly;
    }

    /** Whether only the count is returned. */
    public boolean isCountOnly() {
        return countOnly;
    }

    /** The revision to read at, 0 for the latest. */
    public long revision() {
        return revision;
    }

    /** Whether the read is serializable. */
    public boolean isSerializable() {
        return serializable;
    }

    /**
     * The same read with its first key replaced by {@code newKey}, keeping the end and every option; used to
     * continue a paged read after the last key received. Only for ranges, not single keys.
     */
    public Range startingAt(Bytes newKey) {
        if (end == null) {
            throw new InvalidArgumentException("startingAt is for ranges; this read is of the single key " + key);
        }
        return new Range(Keys.key(newKey, "the new start key"), end, limit, sortTarget, sortOrder, keysOnly, countOnly,
                revision, serializable);
    }

    @Override
    public String toString() {
        String what;
        if (end == null) {
            what = "key '" + key + "'";
        } else if (key.equals(Keys.TO_END) && end.equals(Keys.TO_END)) {
            what = "all keys";
        } else if (end.equals(Keys.TO_END)) {
            what = "keys from '" + key + "'";
        } else if (end.equals(Keys.prefixEnd(key))) {
            what = "prefix '" + key + "'";
        } else {
            what = "range ['" + key + "', '" + end + "')";
        }
        return what + (revision > 0 ? " at revision " + revision : "");
    }
}
