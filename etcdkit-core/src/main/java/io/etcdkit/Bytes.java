package io.etcdkit;

import com.google.protobuf.ByteString;
import io.etcdkit.internal.ByteStrings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.Objects;

/**
 * An immutable sequence of bytes: an etcd key or value.
 *
 * <p>etcd keys and values are arbitrary bytes; most applications use UTF-8 text, for which {@link #of(String)}
 * and {@link #toStringUtf8()} are the shortcuts. Instances are immutable and thread-safe; {@link #of(byte[])}
 * copies its argument and {@link #toByteArray()} returns a fresh copy, so no caller can change a stored value.
 * Equality and hash code are by content; ordering ({@link #compareTo}) is unsigned lexicographic, the order in
 * which etcd sorts keys.
 */
public final class Bytes implements Comparable<Bytes> {
    private static final Comparator<ByteString> ORDER = ByteString.unsignedLexicographicalComparator();

    /** The empty byte sequence. */
    public static final Bytes EMPTY = new Bytes(ByteString.EMPTY);

    static {
        ByteStrings.install(new ByteStrings.Access() {
            @Override
            public Bytes wrap(ByteString bytes) {
                return Bytes.wrap(bytes);
            }

            @Override
            public ByteString unwrap(Bytes bytes) {
                return bytes.bytes;
            }
        });
    }

    private final ByteString bytes;

    private Bytes(ByteString bytes) {
        this.bytes = bytes;
    }

    /**
     * The UTF-8 encoding of {@code text}.
     *
     * @param text the text
     * @return the UTF-8 encoding of {@code text}
     */
    public static Bytes of(String text) {
        Objects.requireNonNull(text, "text");
        return text.isEmpty() ? EMPTY : new Bytes(ByteString.copyFromUtf8(text));
    }

    /**
     * A copy of {@code bytes}; later changes to the array do not affect the result.
     *
     * @param bytes the bytes
     * @return a copy of {@code bytes}; later changes to the array do not affect the result
     */
    public static Bytes of(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return bytes.length == 0 ? EMPTY : new Bytes(ByteString.copyFrom(bytes));
    }

    /**
     * A copy of the remaining bytes of {@code buffer}; the buffer's position is not changed.
     *
     * @param buffer the buffer
     * @return a copy of the remaining bytes of {@code buffer}; the buffer's position is not changed
     */
    public static Bytes of(ByteBuffer buffer) {
        Objects.requireNonNull(buffer, "buffer");
        return new Bytes(ByteString.copyFrom(buffer.duplicate()));
    }

    private static Bytes wrap(ByteString bytes) {
        return bytes.isEmpty() ? EMPTY : new Bytes(bytes);
    }

    /**
     * The number of bytes.
     *
     * @return the number of bytes
     */
    public int size() {
        return bytes.size();
    }

    /**
     * Whether this sequence has no bytes.
     *
     * @return whether this sequence has no bytes
     */
    public boolean isEmpty() {
        return bytes.isEmpty();
    }

    /**
     * The byte at {@code index} (0-based).
     *
     * @param index the 0-based index
     * @return the byte at {@code index} (0-based)
     */
    public byte byteAt(int index) {
        return bytes.byteAt(index);
    }

    /**
     * A fresh copy of the bytes.
     *
     * @return a fresh copy of the bytes
     */
    public byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /**
     * A read-only view of the bytes (no copy).
     *
     * @return a read-only view of the bytes (no copy)
     */
    public ByteBuffer asReadOnlyByteBuffer() {
        return bytes.asReadOnlyByteBuffer();
    }

    /**
     * The bytes decoded as UTF-8; malformed sequences become U+FFFD.
     *
     * @return the bytes decoded as UTF-8; malformed sequences become U+FFFD
     */
    public String toStringUtf8() {
        return bytes.toStringUtf8();
    }

    /**
     * Whether these bytes start with {@code prefix}.
     *
     * @param prefix the key prefix
     * @return whether these bytes start with {@code prefix}
     */
    public boolean startsWith(Bytes prefix) {
        return bytes.startsWith(prefix.bytes);
    }

    /**
     * These bytes followed by {@code suffix}.
     *
     * @param suffix the bytes to append
     * @return this {@code Bytes}
     */
    public Bytes concat(Bytes suffix) {
        if (suffix.isEmpty()) {
            return this;
        }
        return new Bytes(bytes.concat(suffix.bytes));
    }

    /**
     * The bytes from {@code beginIndex} (inclusive) to the end.
     *
     * @param beginIndex the begin index
     * @return the bytes from {@code beginIndex} (inclusive) to the end
     */
    public Bytes substring(int beginIndex) {
        return wrap(bytes.substring(beginIndex));
    }

    /**
     * The bytes from {@code beginIndex} (inclusive) to {@code endIndex} (exclusive).
     *
     * @param beginIndex the begin index
     * @param endIndex the end index
     * @return the bytes from {@code beginIndex} (inclusive) to {@code endIndex} (exclusive)
     */
    public Bytes substring(int beginIndex, int endIndex) {
        return wrap(bytes.substring(beginIndex, endIndex));
    }

    @Override
    public int compareTo(Bytes other) {
        return ORDER.compare(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes && ((Bytes) o).bytes.equals(bytes);
    }

    @Override
    public int hashCode() {
        return bytes.hashCode();
    }

    /** The UTF-8 text when the bytes are valid UTF-8, otherwise a hex dump; for logs and messages. */
    @Override
    public String toString() {
        if (bytes.isValidUtf8()) {
            return bytes.toStringUtf8();
        }
        StringBuilder sb = new StringBuilder("0x");
        for (int i = 0; i < bytes.size(); i++) {
            sb.append(String.format("%02x", bytes.byteAt(i) & 0xff));
        }
        return sb.toString();
    }
}
