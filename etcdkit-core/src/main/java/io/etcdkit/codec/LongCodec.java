package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.util.Objects;

/**
 * A 64-bit signed integer as decimal ASCII text, the way {@code etcdctl put counter 42} stores numbers.
 *
 * <p>Encoding writes {@link Long#toString(long)}. Decoding accepts exactly {@code [+-]?[0-9]+} within the range
 * of {@code long}: no spaces, no trailing newline, no other digits than ASCII ones.
 */
final class LongCodec implements ValueCodec<Long> {
    static final LongCodec INSTANCE = new LongCodec();
    private static final String NAME = "longs";
    private static final String EXPECTED = "expected a decimal integer such as 42 or -7";
    /** "-9223372036854775808" is 20 characters; anything longer with valid characters overflows. */
    private static final int MAX_LENGTH = 20;

    private LongCodec() {
    }

    @Override
    public Bytes encode(Long value) {
        Objects.requireNonNull(value, "value");
        return Bytes.of(Long.toString(value));
    }

    @Override
    public Long decode(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        int n = bytes.size();
        if (n == 0) {
            throw fail("the value is empty; " + EXPECTED);
        }
        for (int i = 0; i < n; i++) {
            int b = bytes.byteAt(i) & 0xff;
            boolean sign = i == 0 && (b == '-' || b == '+');
            if (!sign && (b < '0' || b > '9')) {
                throw fail(describeByte(b, i) + "; " + EXPECTED + " (ASCII digits with an optional leading sign)");
            }
        }
        int first = bytes.byteAt(0);
        if (n == 1 && (first == '-' || first == '+')) {
            throw fail("the value is only a sign, without digits; " + EXPECTED);
        }
        if (n > MAX_LENGTH) {
            throw fail(outOfRange());
        }
        try {
            return Long.parseLong(bytes.toStringUtf8());
        } catch (NumberFormatException e) {
            throw fail(outOfRange());
        }
    }

    private static String describeByte(int b, int offset) {
        String hex = String.format("0x%02x", b);
        if (b == ' ' || b == '\t' || b == '\n' || b == '\r') {
            return "the byte at offset " + offset + " is whitespace (" + hex + "); store the number without "
                    + "spaces or a trailing newline (etcdctl put key 42, not echo 42 | etcdctl put key)";
        }
        return "the byte at offset " + offset + " (" + hex + ") is not a digit";
    }

    private static String outOfRange() {
        return "the number does not fit a 64-bit signed integer (" + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                + "); store it as text or JSON instead";
    }

    private static ValueDecodingException fail(String problem) {
        return new ValueDecodingException(NAME, ValueDecodingException.describe(NAME, problem));
    }

    @Override
    public String toString() {
        return NAME;
    }
}
