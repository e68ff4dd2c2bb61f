package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.util.Objects;
import java.util.function.Function;

/**
 * A named codec made of two functions (see {@link Codecs#of}). Enforces the codec contract around them: no
 * nulls in or out, and any decoder failure becomes a {@link ValueDecodingException} naming the codec.
 */
final class FunctionCodec<T> implements ValueCodec<T> {
    private final String name;
    private final Function<? super T, Bytes> encoder;
    private final Function<? super Bytes, ? extends T> decoder;

    FunctionCodec(String name, Function<? super T, Bytes> encoder, Function<? super Bytes, ? extends T> decoder) {
        this.name = Objects.requireNonNull(name, "name");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
    }

    @Override
    public Bytes encode(T value) {
        Objects.requireNonNull(value, "value");
        Bytes bytes = encoder.apply(value);
        if (bytes == null) {
            throw new IllegalStateException("the encoder of codec '" + name + "' returned null; it must return "
                    + "the bytes to store (Bytes.EMPTY for none)");
        }
        return bytes;
    }

    @Override
    public T decode(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        T value;
        try {
            value = decoder.apply(bytes);
        } catch (ValueDecodingException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ValueDecodingException(name, ValueDecodingException.describe(name,
                    "the decoder failed with " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : ": " + e.getMessage())), e);
        }
        if (value == null) {
            throw new ValueDecodingException(name, ValueDecodingException.describe(name,
                    "the decoder returned no value (null) for these " + bytes.size() + " bytes"));
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
