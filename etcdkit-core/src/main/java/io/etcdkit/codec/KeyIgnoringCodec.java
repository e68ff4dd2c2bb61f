package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.util.Objects;

/** A {@link ValueCodec} seen as a {@link KeyBoundCodec}: the key is checked for null and otherwise unused. */
final class KeyIgnoringCodec<T> implements KeyBoundCodec<T> {
    private final ValueCodec<T> codec;

    KeyIgnoringCodec(ValueCodec<T> codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    @Override
    public Bytes encode(Bytes key, T value) {
        Objects.requireNonNull(key, "key");
        return codec.encode(value);
    }

    @Override
    public T decode(Bytes key, Bytes stored) {
        Objects.requireNonNull(key, "key");
        return codec.decode(stored);
    }

    @Override
    public String toString() {
        return codec.toString();
    }
}
