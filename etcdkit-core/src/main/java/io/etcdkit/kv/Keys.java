package io.etcdkit.kv;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.Objects;
import io.etcdkit.internal.ByteStrings;
import io.etcdkit.internal.Namespace;

/** Key checks and range arithmetic shared by the request types. */
final class Keys {
    /** The range end that means "to the end of the key space". */
    static final Bytes TO_END = Bytes.of(new byte[] {0});

    private Keys() {}

    static Bytes key(Bytes key, String what) {
        Objects.requireNonNull(key, what);
        if (key.isEmpty()) {
            throw new InvalidArgumentException(what + " must not be empty: etcd has no empty key. "
                    + "Give a non-empty key (or use a prefix read to cover many keys)");
        }
        return key;
    }

    static Bytes nonNull(Bytes b, String what) {
        return Objects.requireNonNull(b, what);
    }

    static Bytes text(String s, String what) {
        return Bytes.of(Objects.requireNonNull(s, what));
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}: the prefix with its last byte below
     * 0xff incremented and what follows dropped; {@link #TO_END} when no such key exists (empty or all 0xff).
     */
    static Bytes prefixEnd(Bytes prefix) {
        return ByteStrings.bytes(Namespace.prefixEnd(ByteStrings.of(prefix)));
    }
}
