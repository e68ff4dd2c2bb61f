package io.etcdkit.internal;

import com.google.protobuf.ByteString;
import io.etcdkit.Bytes;

/**
 * A key prefix that a client view adds to every key it sends and strips from every key it receives, so that
 * {@code client.withNamespace("/tenant-a/")} sees only its own keys, named relative to the prefix.
 */
public final class Namespace {
    /** No prefix. */
    public static final Namespace NONE = new Namespace(ByteString.EMPTY);
    private static final ByteString TO_END = ByteString.copyFrom(new byte[] {0});

    private final ByteString prefix;

    private Namespace(ByteString prefix) {
        this.prefix = prefix;
    }

    /** This namespace extended by {@code more} (namespaces nest). */
    public Namespace child(Bytes more) {
        return new Namespace(prefix.concat(ByteStrings.of(more)));
    }

    /** The prefix. */
    public Bytes prefix() {
        return ByteStrings.bytes(prefix);
    }

    /** Whether there is no prefix. */
    public boolean isEmpty() {
        return prefix.isEmpty();
    }

    /** The wire form of a single key. */
    public ByteString key(Bytes key) {
        ByteString k = ByteStrings.of(key);
        return prefix.isEmpty() ? k : prefix.concat(k);
    }

    /** The wire form of a range start, given the range's end ({@code null} for a single key). */
    public ByteString rangeStart(Bytes key, Bytes end) {
        if (!prefix.isEmpty() && end != null && isToEnd(key) && isToEnd(end)) {
            return prefix; // every key of the namespace
        }
        return key(key);
    }

    /** The wire form of a range end; {@code \0} ("to the end") becomes the end of the namespace. */
    public ByteString rangeEnd(Bytes end) {
        if (isToEnd(end)) {
            return prefix.isEmpty() ? TO_END : prefixEnd(prefix);
        }
        return key(end);
    }

    /** A key received from etcd, relative to this namespace. */
    public Bytes strip(ByteString key) {
        return ByteStrings.bytes(prefix.isEmpty() ? key : key.substring(Math.min(prefix.size(), key.size())));
    }

    private static boolean isToEnd(Bytes b) {
        return b.size() == 1 && b.byteAt(0) == 0;
    }

    /** The smallest key after every key starting with {@code p}; {@code \0} when none exists. */
    public static ByteString prefixEnd(ByteString p) {
        byte[] b = p.toByteArray();
        for (int i = b.length - 1; i >= 0; i--) {
            if (b[i] != (byte) 0xff) {
                byte[] end = java.util.Arrays.copyOf(b, i + 1);
                end[i]++;
                return ByteString.copyFrom(end);
            }
        }
        return TO_END;
    }
}
