package io.etcdkit.kv;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.Optional;

/**
 * A delete of one key, a prefix, or a key range. Immutable.
 *
 * <pre>{@code
 * kv.delete(Delete.prefix("jobs/done/").withPreviousValues());
 * }</pre>
 */
public final class Delete implements Op {
    private final Bytes key;
    private final Bytes end;
    private final boolean previous;

    private Delete(Bytes key, Bytes end, boolean previous) {
        this.key = key;
        this.end = end;
        this.previous = previous;
    }

    /**
     * Deletes one key.
     *
     * @param key the key
     * @return a {@code Delete} that deletes one key
     */
    public static Delete key(Bytes key) {
        return new Delete(Keys.key(key, "the key to delete"), null, false);
    }

    /**
     * Deletes one key given as UTF-8 text.
     *
     * @param key the key
     * @return a {@code Delete} that deletes one key given as UTF-8 text
     */
    public static Delete key(String key) {
        return key(Keys.text(key, "the key to delete"));
    }

    /**
     * Deletes every key that starts with {@code prefix}. The empty prefix is refused: deleting every key must be
     * asked for with {@link #all()}.
     *
     * @param prefix the key prefix
     * @return a {@code Delete} that deletes every key that starts with {@code prefix}
     */
    public static Delete prefix(Bytes prefix) {
        Keys.nonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            throw new InvalidArgumentException("an empty prefix would delete every key; use Delete.all() if that "
                    + "is what you mean");
        }
        return new Delete(prefix, Keys.prefixEnd(prefix), false);
    }

    /**
     * Deletes every key that starts with the UTF-8 text {@code prefix}.
     *
     * @param prefix the key prefix
     * @return a {@code Delete} that deletes every key that starts with the UTF-8 text {@code prefix}
     */
    public static Delete prefix(String prefix) {
        return prefix(Keys.text(prefix, "prefix"));
    }

    /**
     * Deletes the keys in {@code [from, to)}.
     *
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return a {@code Delete} that deletes the keys in {@code [from, to)}
     */
    public static Delete between(Bytes from, Bytes to) {
        Range r = Range.between(from, to);
        return new Delete(r.key(), r.end().orElse(null), false);
    }

    /**
     * Deletes the keys in {@code [from, to)} given as UTF-8 text.
     *
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return a {@code Delete} that deletes the keys in {@code [from, to)} given as UTF-8 text
     */
    public static Delete between(String from, String to) {
        return between(Keys.text(from, "from"), Keys.text(to, "to"));
    }

    /**
     * Deletes every key greater than or equal to {@code from}.
     *
     * @param from the source key
     * @return a {@code Delete} that deletes every key greater than or equal to {@code from}
     */
    public static Delete from(Bytes from) {
        return new Delete(Keys.key(from, "the start of the range"), Keys.TO_END, false);
    }

    /**
     * Deletes every key (in the client's namespace, if it has one).
     *
     * @return a {@code Delete} that deletes every key (in the client's namespace, if it has one)
     */
    public static Delete all() {
        return new Delete(Keys.TO_END, Keys.TO_END, false);
    }

    /**
     * Returns the deleted key-values in {@link DeleteResult#previous()}.
     *
     * @return the deleted key-values in {@link DeleteResult#previous()}
     */
    public Delete withPreviousValues() {
        return new Delete(key, end, true);
    }

    /**
     * The first key.
     *
     * @return the first key
     */
    public Bytes key() {
        return key;
    }

    /**
     * The exclusive end of the deleted range.
     *
     * @return empty for a single key; {@code \0} for "to the end"
     */
    public Optional<Bytes> end() {
        return Optional.ofNullable(end);
    }

    /**
     * Whether the deleted key-values are returned.
     *
     * @return whether the deleted key-values are returned
     */
    public boolean returnsPrevious() {
        return previous;
    }

    @Override
    public String toString() {
        return end == null ? "delete key '" + key + "'" : "delete range ['" + key + "', '" + end + "')";
    }
}
