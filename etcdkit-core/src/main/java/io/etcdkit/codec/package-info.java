/**
 * Value codecs: typed values to and from the bytes stored in etcd, and client-side encryption.
 *
 * <p>{@link io.etcdkit.codec.ValueCodec} is the plain codec contract and {@link io.etcdkit.codec.Codecs} makes
 * the standard ones: {@code bytes()}, strict UTF-8 {@code text()} and decimal {@code longs()}; JSON codecs are
 * in the artifact {@code io.etcdkit:etcdkit-jackson} ({@code JacksonCodecs.json(..)}). Codecs never return garbage: bytes that are not a valid value are a
 * {@link io.etcdkit.codec.ValueDecodingException} naming the codec and the problem.
 *
 * <p>{@link io.etcdkit.codec.EncryptedCodec} encrypts any codec's values with AES-256-GCM. Its ciphertexts are
 * bound to the etcd key name, so it is a {@link io.etcdkit.codec.KeyBoundCodec}, whose methods take the key.
 * Keys live in a {@link io.etcdkit.codec.KeyRing} of named {@link io.etcdkit.codec.EncryptionKey}s; each value
 * records the id of its key, so keys can rotate. Decryption failures are typed
 * {@link io.etcdkit.codec.DecryptionException}s. Because of that binding an encrypted key is moved with
 * {@code EncryptedCodec.move(kv, from, to)}, which re-encrypts it for its new name in the same transaction.
 *
 * <p>Everything here is immutable and thread-safe, and needs no connection (except that move, which is given the
 * {@link io.etcdkit.kv.Kv} to use): codecs turn values into bytes that any {@code Kv} call can store.
 */
package io.etcdkit.codec;
