package io.etcdkit.codec;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Strict UTF-8 text. Decoding rejects malformed UTF-8 instead of substituting U+FFFD; encoding rejects strings
 * with unpaired surrogates instead of substituting {@code ?}. The empty string is the empty value.
 */
final class TextCodec implements ValueCodec<String> {
    static final TextCodec INSTANCE = new TextCodec();
    private static final String NAME = "text";

    private TextCodec() {
    }

    @Override
    public Bytes encode(String value) {
        Objects.requireNonNull(value, "value");
        int bad = unpairedSurrogate(value);
        if (bad >= 0) {
            throw new InvalidArgumentException("codec 'text' cannot encode the value: it has an unpaired UTF-16 "
                    + "surrogate at index " + bad + " of " + value.length() + ", which has no UTF-8 form; "
                    + "fix the string (it was probably cut in the middle of a character)");
        }
        return Bytes.of(value);
    }

    @Override
    public String decode(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = bytes.asReadOnlyByteBuffer();
        // UTF-8 never yields more UTF-16 chars than it has bytes.
        CharBuffer out = CharBuffer.allocate(bytes.size());
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError() || result.isOverflow()) {
            throw new ValueDecodingException(NAME, ValueDecodingException.describe(NAME,
                    "malformed UTF-8 at byte offset " + in.position() + " of " + bytes.size()
                            + "; the value was not written as UTF-8 text. Read it with Codecs.bytes(), "
                            + "or fix the writer to store UTF-8"));
        }
        return out.flip().toString();
    }

    private static int unpairedSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return NAME;
    }
}
