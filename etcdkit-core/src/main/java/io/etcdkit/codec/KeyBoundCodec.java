package io.etcdkit.codec;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import java.util.Objects;

/**
 * A codec whose stored bytes depend on the etcd key they are stored under.
 *
 * <p>This is the shape of client-side encryption ({@link EncryptedCodec}): the key name is authenticated
 * together with the value, so bytes written for one key do not decode when found under another. The caller
 * therefore passes the key to both directions:
 *
 * <pre>{@code
 * KeyBoundCodec<String> codec = Codecs.encrypted(keyRing, Codecs.text());
 * Bytes key = Bytes.of("config/db-password");
 * client.kv().put(key, codec.encode(key, "s3cret"));
 * String password = codec.decode(client.kv().get(key).orElseThrow());   // key taken from the KeyValue
 * }</pre>
 *
 * <p>The key must be given exactly as it is passed to (and returned by) the {@link io.etcdkit.kv.Kv} in use;
 * with a namespaced client view that is the key relative to the namespace. Use one form consistently.
 *
 * <p><b>Contract.</b> {@code decode(k, encode(k, v))} equals {@code v}. {@link #decode} returns a value or
 * throws {@link ValueDecodingException} (for encryption, a {@link DecryptionException}); it never returns
 * garbage or {@code null}. Null arguments throw {@link NullPointerException}. Implementations are immutable
 * and thread-safe. A plain {@link ValueCodec} can be used where a {@code KeyBoundCodec} is expected through
 * {@link #ignoringKey(ValueCodec)}.
 *
 * @param <T> the type of the values
 */
public interface KeyBoundCodec<T> {

    /**
     * The bytes to store for {@code value} under {@code key}.
     *
     * @param key the key
     * @param value the value
     * @return the bytes to store for {@code value} under {@code key}
     * @throws NullPointerException when an argument is null
     * @throws io.etcdkit.InvalidArgumentException when the codec cannot represent the value
     */
    Bytes encode(Bytes key, T value);

    /**
     * The value that {@code stored}, read from {@code key}, represents; never null.
     *
     * @param key the key
     * @param stored the stored bytes
     * @return the value that {@code stored}, read from {@code key}, represents; never null
     * @throws NullPointerException when an argument is null
     * @throws ValueDecodingException when the bytes are not a valid encoding for this codec and key
     */
    T decode(Bytes key, Bytes stored);

    /**
     * {@link #encode(Bytes, Object)} for the UTF-8 key {@code key}.
     *
     * @param key the key
     * @param value the value
     * @return as {@link #encode(Bytes, Object)}
     */
    default Bytes encode(String key, T value) {
        return encode(Bytes.of(key), value);
    }

    /**
     * {@link #decode(Bytes, Bytes)} for the UTF-8 key {@code key}.
     *
     * @param key the key
     * @param stored the stored bytes
     * @return as {@link #decode(Bytes, Bytes)}
     */
    default T decode(String key, Bytes stored) {
        return decode(Bytes.of(key), stored);
    }

    /**
     * Decodes the value of a key as read from etcd, bound to that key's name.
     *
     * @param keyValue the key value
     * @return the decoded value; never null
     */
    default T decode(KeyValue keyValue) {
        Objects.requireNonNull(keyValue, "keyValue");
        return decode(keyValue.key(), keyValue.value());
    }

    /**
     * A key-bound view of {@code codec} that ignores the key; its {@code toString()} is the codec's.
     *
     * @param <T> the type of the values
     * @param codec the codec of the values
     * @return a key-bound view of {@code codec} that ignores the key; its {@code toString()} is the codec's
     */
    static <T> KeyBoundCodec<T> ignoringKey(ValueCodec<T> codec) {
        return new KeyIgnoringCodec<>(codec);
    }
}
