package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.util.function.Function;

/**
 * The standard value codecs. Every codec returned here is immutable and thread-safe, follows the
 * {@link ValueCodec} contract (no nulls; a bad value is a {@link ValueDecodingException}, never garbage) and
 * has a short name, its {@code toString()}, that error messages use.
 *
 * <pre>{@code
 * ValueCodec<Long> longs = Codecs.longs();
 * client.kv().put(Bytes.of("counters/jobs"), longs.encode(42L));
 * long jobs = longs.decode(client.kv().get("counters/jobs").orElseThrow().value());
 * }</pre>
 *
 * <p>JSON codecs are in the artifact {@code io.etcdkit:etcdkit-jackson} ({@code io.etcdkit.jackson.JacksonCodecs}),
 * so that the client does not depend on Jackson.
 */
public final class Codecs {
    private Codecs() {
    }

    /**
     * The stored bytes as they are (name {@code bytes}).
     *
     * @return the stored bytes as they are (name {@code bytes})
     */
    public static ValueCodec<Bytes> bytes() {
        return BytesCodec.INSTANCE;
    }

    /**
     * Strict UTF-8 text (name {@code text}). Malformed UTF-8 is a {@link ValueDecodingException} that gives the
     * byte offset, never U+FFFD replacement characters; a string with an unpaired surrogate cannot be encoded
     * ({@link io.etcdkit.InvalidArgumentException}). The empty string is the empty value.
     *
     * @return a {@code ValueCodec} that strict UTF-8 text (name {@code text})
     */
    public static ValueCodec<String> text() {
        return TextCodec.INSTANCE;
    }

    /**
     * A {@code long} as decimal ASCII text, as etcd tooling writes numbers: {@code etcdctl put counter 42}
     * (name {@code longs}). Decoding accepts {@code [+-]?[0-9]+} within the range of {@code long} and nothing
     * else: no surrounding whitespace or trailing newline, no empty value.
     *
     * @return a {@code long} as decimal ASCII text, as etcd tooling writes numbers: {@code etcdctl put counter 42} (name {@code longs})
     */
    public static ValueCodec<Long> longs() {
        return LongCodec.INSTANCE;
    }

    /**
     * A codec made of two functions, named {@code name} in error messages. The contract is enforced around
     * the functions: null values are rejected, an exception thrown by {@code decoder} (other than a
     * {@link ValueDecodingException}, which passes through) becomes a {@link ValueDecodingException} naming the
     * codec, and a decoder that returns null fails likewise. Both functions must be thread-safe.
     *
     * @param <T> the type of the values
     * @param name the name
     * @param encoder the encoder
     * @param decoder the decoder
     * @return a codec made of two functions, named {@code name} in error messages
     */
    public static <T> ValueCodec<T> of(String name, Function<? super T, Bytes> encoder,
                                       Function<? super Bytes, ? extends T> decoder) {
        return new FunctionCodec<>(name, encoder, decoder);
    }

    /**
     * Client-side AES-256-GCM encryption of the values of {@code codec}, with the keys of {@code keys}, bound to
     * the etcd key name; see {@link EncryptedCodec}.
     *
     * @param <T> the type of the values
     * @param keys the keys
     * @param codec the codec of the values
     * @return a {@code EncryptedCodec} that client-side AES-256-GCM encryption of the values of {@code codec}, with the keys of {@code keys}, bound to the etcd key name; see {@link EncryptedCodec}
     */
    public static <T> EncryptedCodec<T> encrypted(KeyRing keys, ValueCodec<T> codec) {
        return EncryptedCodec.of(keys, codec);
    }
}
