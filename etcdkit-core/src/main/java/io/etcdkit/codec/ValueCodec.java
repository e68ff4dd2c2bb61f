package io.etcdkit.codec;

import io.etcdkit.Bytes;

/**
 * Turns values of type {@code T} into the bytes stored in etcd and back.
 *
 * <p><b>Contract.</b> {@code decode(encode(v))} equals {@code v}. {@link #decode} either returns a value or
 * throws {@link ValueDecodingException} naming the codec and what was wrong with the bytes; it never returns
 * garbage, a partial value or {@code null}. {@link #encode} of a value the codec cannot represent throws
 * {@link io.etcdkit.InvalidArgumentException}.
 *
 * <p><b>Nulls.</b> etcd has no null value: an absent key is the absence of a value, which callers model with
 * {@code Optional}. So codecs neither take nor produce {@code null}: {@code encode(null)} and
 * {@code decode(null)} throw {@link NullPointerException}, and bytes that would decode to {@code null} (such as
 * the JSON literal {@code null}) are a {@link ValueDecodingException}.
 *
 * <p><b>Thread safety.</b> Implementations must be immutable and thread-safe; the codecs from {@link Codecs}
 * are. Their {@code toString()} is the codec's name as used in error messages, for example {@code text} or
 * {@code json(com.example.Config)}.
 *
 * <p>A codec that needs the etcd key name (client-side encryption binds each value to its key) is a
 * {@link KeyBoundCodec} instead.
 *
 * @param <T> the type of the values
 */
public interface ValueCodec<T> {

    /**
     * The bytes to store for {@code value}.
     *
     * @param value the value
     * @return the bytes to store for {@code value}
     * @throws NullPointerException when {@code value} is null
     * @throws io.etcdkit.InvalidArgumentException when the codec cannot represent the value
     */
    Bytes encode(T value);

    /**
     * The value that {@code bytes} represent; never null.
     *
     * @param bytes the bytes
     * @return the value that {@code bytes} represent; never null
     * @throws NullPointerException when {@code bytes} is null
     * @throws ValueDecodingException when the bytes are not a valid encoding for this codec
     */
    T decode(Bytes bytes);
}
