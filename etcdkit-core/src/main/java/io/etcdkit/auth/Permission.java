package io.etcdkit.auth;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A permission of a role: a {@link PermissionType} on one key or on the key range
 * {@code [key, rangeEnd)}. Immutable; build one with {@link #key}, {@link #prefix}, {@link #range},
 * {@link #fromKey} or {@link #allKeys}.
 *
 * <p>Keys are absolute: a client view's namespace does not apply to permissions. Following etcd, a
 * {@code rangeEnd} of one zero byte ({@code "\0"}) means "every key from {@code key} on", and the key space as a
 * whole is {@code ["\0", "\0")}.
 *
 * @param type what is allowed
 * @param key the key, or the start of the range; never empty
 * @param rangeEnd the end of the range (exclusive); empty for the single key {@code key}
 */
public record Permission(PermissionType type, Bytes key, Bytes rangeEnd) {
    private static final Bytes TO_END = Bytes.of(new byte[] {0});

    /**
     * Checks the fields: all given, and the key not empty.
     *
     * @param type what the permission allows: read, write or both
     * @param key the key
     * @param rangeEnd the range end
     */
    public Permission {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(rangeEnd, "rangeEnd");
        if (key.isEmpty()) {
            throw new InvalidArgumentException("a permission's key must not be empty; use Permission.allKeys(..) "
                    + "or Permission.prefix(type, \"\") for every key");
        }
    }

    /**
     * {@code type} on the single key {@code key}.
     *
     * @param type what the permission allows: read, write or both
     * @param key the key
     * @return {@code type} on the single key {@code key}
     */
    public static Permission key(PermissionType type, Bytes key) {
        return new Permission(type, key, Bytes.EMPTY);
    }

    /**
     * {@code type} on the single UTF-8 key {@code key}.
     *
     * @param type what the permission allows: read, write or both
     * @param key the key
     * @return {@code type} on the single UTF-8 key {@code key}
     */
    public static Permission key(PermissionType type, String key) {
        return key(type, Bytes.of(Objects.requireNonNull(key, "key")));
    }

    /**
     * {@code type} on every key starting with {@code prefix}; the empty prefix means every key.
     *
     * @param type what the permission allows: read, write or both
     * @param prefix the key prefix
     * @return {@code type} on every key starting with {@code prefix}; the empty prefix means every key
     */
    public static Permission prefix(PermissionType type, Bytes prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty()) {
            return allKeys(type);
        }
        return new Permission(type, prefix, prefixEnd(prefix));
    }

    /**
     * {@code type} on every key starting with the UTF-8 {@code prefix}.
     *
     * @param type what the permission allows: read, write or both
     * @param prefix the key prefix
     * @return {@code type} on every key starting with the UTF-8 {@code prefix}
     */
    public static Permission prefix(PermissionType type, String prefix) {
        return prefix(type, Bytes.of(Objects.requireNonNull(prefix, "prefix")));
    }

    /**
     * {@code type} on the keys in {@code [from, to)}.
     *
     * @param type what the permission allows: read, write or both
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return {@code type} on the keys in {@code [from, to)}
     */
    public static Permission range(PermissionType type, Bytes from, Bytes to) {
        Objects.requireNonNull(to, "to");
        if (to.isEmpty()) {
            throw new InvalidArgumentException("a range permission needs a non-empty end; use Permission.key(..) "
                    + "for a single key or Permission.fromKey(..) for every key from one on");
        }
        return new Permission(type, from, to);
    }

    /**
     * {@code type} on the UTF-8 keys in {@code [from, to)}.
     *
     * @param type what the permission allows: read, write or both
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return {@code type} on the UTF-8 keys in {@code [from, to)}
     */
    public static Permission range(PermissionType type, String from, String to) {
        return range(type, Bytes.of(Objects.requireNonNull(from, "from")), Bytes.of(Objects.requireNonNull(to, "to")));
    }

    /**
     * {@code type} on every key greater than or equal to {@code key}.
     *
     * @param type what the permission allows: read, write or both
     * @param key the key
     * @return {@code type} on every key greater than or equal to {@code key}
     */
    public static Permission fromKey(PermissionType type, Bytes key) {
        return new Permission(type, key, TO_END);
    }

    /**
     * {@code type} on every key.
     *
     * @param type what the permission allows: read, write or both
     * @return {@code type} on every key
     */
    public static Permission allKeys(PermissionType type) {
        return new Permission(type, TO_END, TO_END);
    }

    /**
     * Whether this permission is on one key only.
     *
     * @return whether this permission is on one key only
     */
    public boolean isSingleKey() {
        return rangeEnd.isEmpty();
    }

    /**
     * Whether {@code candidate} is one of the keys this permission covers.
     *
     * @param candidate the candidate name
     * @return whether {@code candidate} is one of the keys this permission covers
     */
    public boolean covers(Bytes candidate) {
        Objects.requireNonNull(candidate, "candidate");
        if (isSingleKey()) {
            return key.equals(candidate);
        }
        boolean afterStart = key.equals(TO_END) || candidate.compareTo(key) >= 0;
        boolean beforeEnd = rangeEnd.equals(TO_END) || candidate.compareTo(rangeEnd) < 0;
        return afterStart && beforeEnd;
    }

    private static Bytes prefixEnd(Bytes prefix) {
        byte[] b = prefix.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(b, i + 1);
                end[i]++;
                return Bytes.of(end);
            }
        }
        return TO_END;
    }

    @Override
    public String toString() {
        if (isSingleKey()) {
            return type + " on key " + key;
        }
        if (key.equals(TO_END) && rangeEnd.equals(TO_END)) {
            return type + " on every key";
        }
        if (rangeEnd.equals(TO_END)) {
            return type + " on keys from " + key;
        }
        if (rangeEnd.equals(prefixEnd(key))) {
            return type + " on prefix " + key;
        }
        return type + " on keys [" + key + ", " + rangeEnd + ")";
    }
}
