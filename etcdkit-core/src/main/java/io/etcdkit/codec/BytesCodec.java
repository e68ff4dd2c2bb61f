package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.util.Objects;

/** The identity codec: values are the stored bytes themselves. */
final class BytesCodec implements ValueCodec<Bytes> {
    static final BytesCodec INSTANCE = new BytesCodec();

    private BytesCodec() {
    }

    @Override
    public Bytes encode(Bytes value) {
        return Objects.requireNonNull(value, "value");
    }

    @Override
    public Bytes decode(Bytes bytes) {
        return Objects.requireNonNull(bytes, "bytes");
    }

    @Override
    public String toString() {
        return "bytes";
    }
}
