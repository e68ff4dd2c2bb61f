package io.etcdkit.recipes.stm;

import io.etcdkit.Bytes;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import java.util.Optional;

/**
 * One attempt of an {@link Stm} transaction, as seen by the {@link StmFunction}: reads go to etcd (as the
 * {@link Isolation} level says) and are remembered in the read set; writes are buffered in the write set and
 * sent together at commit, after the function returns.
 *
 * <p>A read of a key written earlier in the same attempt returns the written value (empty after a delete) and
 * does not touch etcd. Reads fail with the client's {@link io.etcdkit.EtcdException}s, which end the run unless
 * the function catches them; nothing is written then.
 *
 * <p><b>Not thread-safe</b>, and valid only while the function runs: use it from the function's thread, and do
 * not keep it. Any call after the function returned throws {@link IllegalStateException}. Keys are relative to
 * the client's namespace.
 */
public interface StmTxn {

    /**
     * The value of {@code key}, empty when it does not exist (or was deleted in this attempt).
     *
     * @param key the key
     * @return the value of {@code key}, empty when it does not exist (or was deleted in this attempt)
     */
    Optional<Bytes> get(Bytes key);

    /**
     * The value of the UTF-8 key {@code key} as UTF-8 text.
     *
     * @param key the key
     * @return the value of the UTF-8 key {@code key} as UTF-8 text
     */
    Optional<String> get(String key);

    /**
     * The value of {@code key} decoded with {@code codec}. A value the codec cannot decode throws
     * {@link io.etcdkit.codec.ValueDecodingException}, which aborts the run unless caught.
     *
     * @param <T> the type of the values
     * @param key the key
     * @param codec the codec of the values
     * @return the value of {@code key} decoded with {@code codec}
     */
    <T> Optional<T> get(String key, ValueCodec<T> codec);

    /**
     * The value of {@code key} decoded with a key-bound codec, such as {@link io.etcdkit.codec.EncryptedCodec}
     * for client-side encryption; the codec is given {@code key} as the client's {@code kv()} sees it (relative
     * to a namespaced client's namespace). A value that does not decode, or does not decrypt (a wrong key, a
     * tampered value, a ciphertext copied from another key: a {@link io.etcdkit.codec.DecryptionException}),
     * throws that {@link io.etcdkit.codec.ValueDecodingException}, which aborts the run unless caught.
     *
     * @param <T> the type of the values
     * @param key the key
     * @param codec the codec of the values
     * @return the value of {@code key} decoded with a key-bound codec, such as {@link io.etcdkit.codec.EncryptedCodec} for client-side encryption; the codec is given {@code key} as the client's {@code kv()} sees it (relative to a namespaced client's namespace)
     */
    <T> Optional<T> get(String key, KeyBoundCodec<T> codec);

    /**
     * The modification revision of {@code key} in etcd as this attempt reads it (0 when it does not exist).
     * This is a read like {@link #get(Bytes)} and joins the read set, but ignores this attempt's own writes.
     *
     * @param key the key
     * @return the modification revision of {@code key} in etcd as this attempt reads it (0 when it does not exist)
     */
    long rev(Bytes key);

    /**
     * UTF-8 form of {@link #rev(Bytes)}.
     *
     * @param key the key
     * @return as {@link #rev(Bytes)}
     */
    long rev(String key);

    /**
     * Writes {@code value} at {@code key} at commit, replacing an earlier write or delete of the key in this
     * attempt.
     *
     * @param key the key
     * @param value the value
     * @throws io.etcdkit.InvalidArgumentException when the key is empty
     */
    void put(Bytes key, Bytes value);

    /**
     * Writes the UTF-8 {@code value} at the UTF-8 {@code key} at commit.
     *
     * @param key the key
     * @param value the value
     */
    void put(String key, String value);

    /**
     * Writes {@code value} encoded with {@code codec} at {@code key} at commit.
     *
     * @param <T> the type of the values
     * @param key the key
     * @param value the value
     * @param codec the codec of the values
     */
    <T> void put(String key, T value, ValueCodec<T> codec);

    /**
     * Writes {@code value} encoded for {@code key} with a key-bound codec (for example encrypted and bound to the
     * key name) at {@code key} at commit.
     *
     * @param <T> the type of the values
     * @param key the key
     * @param value the value
     * @param codec the codec of the values
     */
    <T> void put(String key, T value, KeyBoundCodec<T> codec);

    /**
     * Deletes {@code key} at commit (nothing happens if it does not exist then).
     *
     * @param key the key
     */
    void delete(Bytes key);

    /**
     * Deletes the UTF-8 key {@code key} at commit.
     *
     * @param key the key
     */
    void delete(String key);
}
