package io.etcdkit.kv;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.Objects;
import java.util.Optional;

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
    // Effectively final: only copy() writes them, before the copy is published.
    private Bytes key;
    private Bytes end; // null: the single key; Keys.TO_END: every key >= key
    private long limit;
    private SortTarget sortTarget;
    private SortOrder sortOrder;
    private boolean keysOnly;
    private boolean countOnly;
    private long revision;
    private boolean serializable;
    private long minCreateRevision;
    private long maxCreateRevision;
    private long minModRevision;
    private long maxModRevision;

    private Range(Bytes key, Bytes end) {
        this.key = key;
        this.end = end;
    }

    private static Range of(Bytes key, Bytes end) {
        return new Range(key, end);
    }

    private Range copy() {
        Range r = new Range(key, end);
        r.limit = limit;
        r.sortTarget = sortTarget;
        r.sortOrder = sortOrder;
        r.keysOnly = keysOnly;
        r.countOnly = countOnly;
        r.revision = revision;
        r.serializable = serializable;
        r.minCreateRevision = minCreateRevision;
        r.maxCreateRevision = maxCreateRevision;
        r.minModRevision = minModRevision;
        r.maxModRevision = maxModRevision;
        return r;
    }

    /**
     * Reads one key. An empty key is an {@link InvalidArgumentException}.
     *
     * @param key the key
     * @return a {@code Range} that reads one key
     */
    public static Range key(Bytes key) {
        return of(Keys.key(key, "the key to read"), null);
    }

    /**
     * Reads one key given as UTF-8 text.
     *
     * @param key the key
     * @return a {@code Range} that reads one key given as UTF-8 text
     */
    public static Range key(String key) {
        return key(Keys.text(key, "the key to read"));
    }

    /**
     * Reads every key that starts with {@code prefix}; the empty prefix reads every key.
     *
     * @param prefix the key prefix
     * @return a {@code Range} that reads every key that starts with {@code prefix}; the empty prefix reads every key
     */
    public static Range prefix(Bytes prefix) {
        Keys.nonNull(prefix, "prefix");
        return prefix.isEmpty() ? all() : of(prefix, Keys.prefixEnd(prefix));
    }

    /**
     * Reads every key that starts with the UTF-8 text {@code prefix}.
     *
     * @param prefix the key prefix
     * @return a {@code Range} that reads every key that starts with the UTF-8 text {@code prefix}
     */
    public static Range prefix(String prefix) {
        return prefix(Keys.text(prefix, "prefix"));
    }

    /**
     * Reads the keys in {@code [from, to)}. {@code from} must be non-empty and less than {@code to}.
     *
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return a {@code Range} that reads the keys in {@code [from, to)}
     */
    public static Range between(Bytes from, Bytes to) {
        Keys.key(from, "the start of the range");
        Keys.key(to, "the end of the range");
        if (from.compareTo(to) >= 0) {
            throw new InvalidArgumentException("the range [" + from + ", " + to + ") is empty: its start must be "
                    + "less than its end");
        }
        return of(from, to);
    }

    /**
     * Reads the keys in {@code [from, to)} given as UTF-8 text.
     *
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return a {@code Range} that reads the keys in {@code [from, to)} given as UTF-8 text
     */
    public static Range between(String from, String to) {
        return between(Keys.text(from, "from"), Keys.text(to, "to"));
    }

    /**
     * Reads every key greater than or equal to {@code from}.
     *
     * @param from the source key
     * @return a {@code Range} that reads every key greater than or equal to {@code from}
     */
    public static Range from(Bytes from) {
        return of(Keys.key(from, "the start of the range"), Keys.TO_END);
    }

    /**
     * Reads every key greater than or equal to the UTF-8 text {@code from}.
     *
     * @param from the source key
     * @return a {@code Range} that reads every key greater than or equal to the UTF-8 text {@code from}
     */
    public static Range from(String from) {
        return from(Keys.text(from, "from"));
    }

    /**
     * Reads every key.
     *
     * @return a {@code Range} that reads every key
     */
    public static Range all() {
        return of(Keys.TO_END, Keys.TO_END);
    }

    /**
     * At most {@code limit} keys (0 means no limit); {@link RangeResult#more()} says whether more exist.
     *
     * @param limit the most to return
     * @return a {@code Range} that at most {@code limit} keys (0 means no limit); {@link RangeResult#more()} says whether more exist
     */
    public Range limit(long limit) {
        if (limit < 0) {
            throw new InvalidArgumentException("limit must be 0 (no limit) or positive, got " + limit);
        }
        Range r = copy();
        r.limit = limit;
        return r;
    }

    /**
     * Sorts the result.
     *
     * @param target the target
     * @param order the order
     * @return a {@code Range} that sorts the result
     */
    public Range sortBy(SortTarget target, SortOrder order) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(order, "order");
        Range r = copy();
        r.sortTarget = target;
        r.sortOrder = order;
        return r;
    }

    /**
     * Returns keys and metadata without values.
     *
     * @return keys and metadata without values
     */
    public Range keysOnly() {
        Range r = copy();
        r.keysOnly = true;
        return r;
    }

    /**
     * Returns only the number of matching keys ({@link RangeResult#count()}).
     *
     * @return only the number of matching keys ({@link RangeResult#count()})
     */
    public Range countOnly() {
        Range r = copy();
        r.countOnly = true;
        return r;
    }

    /**
     * Reads the store as it was at {@code revision} (0 means the latest). A compacted revision fails with
     * {@link io.etcdkit.CompactedException}; a future one with {@link InvalidArgumentException}.
     *
     * @param revision the revision
     * @return a {@code Range} that reads the store as it was at {@code revision} (0 means the latest)
     */
    public Range atRevision(long revision) {
        if (revision < 0) {
            throw new InvalidArgumentException("revision must be 0 (latest) or positive, got " + revision);
        }
        Range r = copy();
        r.revision = revision;
        return r;
    }

    /**
     * Lets any member answer from its local state: faster, works without a leader, but may be stale.
     *
     * @return a {@code Range} that lets any member answer from its local state: faster, works without a leader, but may be stale
     */
    public Range serializable() {
        Range r = copy();
        r.serializable = true;
        return r;
    }

    /**
     * Only keys created at or after {@code revision} (0: no bound).
     *
     * @param revision the revision
     * @return only keys created at or after {@code revision} (0: no bound)
     */
    public Range minCreateRevision(long revision) {
        Range r = copy();
        r.minCreateRevision = nonNegative(revision, "minCreateRevision");
        return r;
    }

    /**
     * Only keys created at or before {@code revision} (0: no bound).
     *
     * @param revision the revision
     * @return only keys created at or before {@code revision} (0: no bound)
     */
    public Range maxCreateRevision(long revision) {
        Range r = copy();
        r.maxCreateRevision = nonNegative(revision, "maxCreateRevision");
        return r;
    }

    /**
     * Only keys last modified at or after {@code revision} (0: no bound).
     *
     * @param revision the revision
     * @return only keys last modified at or after {@code revision} (0: no bound)
     */
    public Range minModRevision(long revision) {
        Range r = copy();
        r.minModRevision = nonNegative(revision, "minModRevision");
        return r;
    }

    /**
     * Only keys last modified at or before {@code revision} (0: no bound).
     *
     * @param revision the revision
     * @return only keys last modified at or before {@code revision} (0: no bound)
     */
    public Range maxModRevision(long revision) {
        Range r = copy();
        r.maxModRevision = nonNegative(revision, "maxModRevision");
        return r;
    }

    private static long nonNegative(long v, String what) {
        if (v < 0) {
            throw new InvalidArgumentException(what + " must be 0 (no bound) or positive, got " + v);
        }
        return v;
    }

    /**
     * The lower bound on create revision, 0 for none.
     *
     * @return the lower bound on create revision, 0 for none
     */
    public long minCreateRevisionValue() {
        return minCreateRevision;
    }

    /**
     * The upper bound on create revision, 0 for none.
     *
     * @return the upper bound on create revision, 0 for none
     */
    public long maxCreateRevisionValue() {
        return maxCreateRevision;
    }

    /**
     * The lower bound on mod revision, 0 for none.
     *
     * @return the lower bound on mod revision, 0 for none
     */
    public long minModRevisionValue() {
        return minModRevision;
    }

    /**
     * The upper bound on mod revision, 0 for none.
     *
     * @return the upper bound on mod revision, 0 for none
     */
    public long maxModRevisionValue() {
        return maxModRevision;
    }

    /**
     * The first key (or {@code \0} for "every key").
     *
     * @return the first key (or {@code \0} for "every key")
     */
    public Bytes key() {
        return key;
    }

    /**
     * The exclusive end of the range.
     *
     * @return empty for a single key; {@code \0} for "to the end"
     */
    public Optional<Bytes> end() {
        return Optional.ofNullable(end);
    }

    /**
     * Whether this reads one key.
     *
     * @return whether this reads one key
     */
    public boolean isSingleKey() {
        return end == null;
    }

    /**
     * The limit, 0 for none.
     *
     * @return the limit, 0 for none
     */
    public long limitValue() {
        return limit;
    }

    /**
     * The sort target.
     *
     * @return empty when unsorted (key order)
     */
    public Optional<SortTarget> sortTarget() {
        return Optional.ofNullable(sortTarget);
    }

    /**
     * The sort order.
     *
     * @return empty when unsorted (key order)
     */
    public Optional<SortOrder> sortOrder() {
        return Optional.ofNullable(sortOrder);
    }

    /**
     * Whether values are left out.
     *
     * @return whether values are left out
     */
    public boolean isKeysOnly() {
        return keysOnly;
    }

    /**
     * Whether only the count is returned.
     *
     * @return whether only the count is returned
     */
    public boolean isCountOnly() {
        return countOnly;
    }

    /**
     * The revision to read at, 0 for the latest.
     *
     * @return the revision to read at, 0 for the latest
     */
    public long revision() {
        return revision;
    }

    /**
     * Whether the read is serializable.
     *
     * @return whether the read is serializable
     */
    public boolean isSerializable() {
        return serializable;
    }

    /**
     * The same read with its first key replaced by {@code newKey}, keeping the end and every option; used to
     * continue a paged read after the last key received. Only for ranges, not single keys.
     *
     * @param newKey the new key
     * @return the same read with its first key replaced by {@code newKey}, keeping the end and every option; used to continue a paged read after the last key received
     */
    public Range startingAt(Bytes newKey) {
        if (end == null) {
            throw new InvalidArgumentException("startingAt is for ranges; this read is of the single key " + key);
        }
        Range r = copy();
        r.key = Keys.key(newKey, "the new start key");
        return r;
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
