package io.etcdkit.codec;

import io.etcdkit.Bytes;
import io.etcdkit.internal.Futures;
import io.etcdkit.kv.Kv;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javax.crypto.AEADBadTagException;

/**
 * Client-side encryption of values: AES-256-GCM around any {@link ValueCodec}, bound to the etcd key name.
 *
 * <pre>{@code
 * KeyRing ring = KeyRing.of("k1", EncryptionKey.fromBase64(System.getenv("ETCD_VALUE_KEY")));
 * EncryptedCodec<String> secrets = EncryptedCodec.of(ring, Codecs.text());
 * Bytes key = Bytes.of("secrets/db-password");
 * client.kv().put(key, secrets.encode(key, "s3cret"));
 * String password = secrets.decode(client.kv().get(key).orElseThrow());
 * }</pre>
 *
 * <p><b>What is stored.</b> {@link #encode} encodes the value with the inner codec, encrypts the bytes with the
 * key ring's current key and a fresh random 96-bit nonce from {@link SecureRandom}, and stores a versioned
 * envelope:
 * <pre>
 * 0xFF 0x45 0x4B | 0x01    | L      | key id (L bytes, ASCII) | nonce (12 bytes) | ciphertext | tag (16 bytes)
 * magic "\xFF"EK | version | 1..64  | names the key used      |                  | = plaintext length
 * </pre>
 * The header (magic through key id) and the etcd key name are the GCM associated data. Encryption hides the
 * value's content but not its length, and the key id is readable by anyone who can read the value.
 *
 * <p><b>Binding to the key name.</b> A value decrypts only under the key name it was written for, so a
 * ciphertext copied or moved to another key (by mistake or by an attacker with write access) is rejected instead
 * of being accepted as that key's value. That is why this is a {@link KeyBoundCodec}: both directions take the
 * key. To move an encrypted value on purpose, {@link #reencrypt} it for the new name, or let {@link #move(Kv, Bytes, Bytes)} do the
 * whole move in etcd in one transaction.
 *
 * <p><b>Key rotation.</b> Each value records the id of the key that encrypted it, and is decrypted with the
 * ring's key of that id, so rings can hold old and new keys side by side (see {@link KeyRing}).
 * {@link #rotate} re-encrypts a stored value with the current key. Rotate the key long before 2<sup>32</sup>
 * values have been encrypted under it, the limit for random GCM nonces.
 *
 * <p><b>Errors.</b> Decoding never returns garbage. Every failure is a {@link DecryptionException} subclass:
 * {@link UnknownKeyIdException}, {@link IntegrityCheckFailedException} (wrong key, tampered, or written for
 * another key name), {@link NotAnEnvelopeException} (for example plain text where ciphertext was expected),
 * {@link UnsupportedEnvelopeVersionException}. A value that decrypts but that the inner codec rejects is a plain
 * {@link ValueDecodingException} whose message leaves out the inner codec's details, which could quote
 * plaintext. No message ever contains key material.
 *
 * <p><b>Thread safety.</b> Immutable and thread-safe; every call uses its own {@code Cipher}.
 *
 * @param <T> the type of the values
 */
public final class EncryptedCodec<T> implements KeyBoundCodec<T> {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing keys;
    private final ValueCodec<T> codec;
    private final String name;

    private EncryptedCodec(KeyRing keys, ValueCodec<T> codec) {
        this.keys = Objects.requireNonNull(keys, "keys");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.name = "encrypted(" + codec + ")";
    }

    /**
     * Encrypts the values of {@code codec} with the keys of {@code keys}.
     *
     * @param <T> the type of the values
     * @param keys the keys
     * @param codec the codec of the values
     * @return a {@code EncryptedCodec} that encrypts the values of {@code codec} with the keys of {@code keys}
     */
    public static <T> EncryptedCodec<T> of(KeyRing keys, ValueCodec<T> codec) {
        return new EncryptedCodec<>(keys, codec);
    }

    /**
     * The same codec with another key ring, for example after a key was added or made current.
     *
     * @param keys the keys
     * @return the same codec with another key ring, for example after a key was added or made current
     */
    public EncryptedCodec<T> withKeyRing(KeyRing keys) {
        return new EncryptedCodec<>(keys, codec);
    }

    /**
     * Whether {@code stored} is an encrypted value (an envelope of any format version): it starts with the marker
     * 0xFF 'E' 'K', which no UTF-8 text, JSON or number starts with. Reads only the first bytes; a true answer
     * does not mean the value decrypts. Use it to tell ciphertext read through a plain view from plain values.
     *
     * @param stored a stored value
     * @return true when it is an envelope
     */
    public static boolean isEncrypted(Bytes stored) {
        return Envelope.hasMagic(Objects.requireNonNull(stored, "stored"));
    }

    /**
     * The key ring in use.
     *
     * @return the key ring in use
     */
    public KeyRing keyRing() {
        return keys;
    }

    /** The envelope of {@code value}, encrypted with the current key and bound to {@code key}. */
    @Override
    public Bytes encode(Bytes key, T value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return seal(key, codec.encode(value).toByteArray());
    }

    /**
     * The value of the envelope {@code stored}, read from {@code key}.
     *
     * @throws UnknownKeyIdException when the ring lacks the key the envelope names
     * @throws IntegrityCheckFailedException when the envelope was modified, was written for another key name, or
     *     the ring's key of that id is not the one it was encrypted with
     * @throws NotAnEnvelopeException when {@code stored} is not an envelope (such as plain text)
     * @throws UnsupportedEnvelopeVersionException when the envelope has an unknown format version
     * @throws ValueDecodingException when the plaintext is not valid for the inner codec
     */
    @Override
    public T decode(Bytes key, Bytes stored) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stored, "stored");
        byte[] plaintext = open(key, Envelope.parse(name, key, stored));
        try {
            return codec.decode(Bytes.of(plaintext));
        } catch (ValueDecodingException e) {
            // The inner message may quote the plaintext, so neither it nor the exception is passed on.
            throw new ValueDecodingException(name, "codec '" + name + "' decrypted and authenticated the value of "
                    + "key '" + key + "', but the plaintext is not valid for codec '" + codec + "' (details are "
                    + "left out because they could reveal the plaintext); the writer used another inner codec");
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * The envelope {@code stored}, written for {@code oldKey}, re-encrypted for {@code newKey} with the current
     * key: the way to move or copy an encrypted value to another key name. The plaintext is not decoded, so the
     * inner codec is not involved.
     *
     * @param oldKey the former key
     * @param newKey the new key
     * @param stored the stored bytes
     * @return the envelope {@code stored}, written for {@code oldKey}, re-encrypted for {@code newKey} with the current key: the way to move or copy an encrypted value to another key name
     * @throws DecryptionException when {@code stored} does not decrypt under {@code oldKey}, as for
     *     {@link #decode}
     */
    public Bytes reencrypt(Bytes oldKey, Bytes newKey, Bytes stored) {
        Objects.requireNonNull(oldKey, "oldKey");
        Objects.requireNonNull(newKey, "newKey");
        Objects.requireNonNull(stored, "stored");
        byte[] plaintext = open(oldKey, Envelope.parse(name, oldKey, stored));
        try {
            return seal(newKey, plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * Moves the encrypted value at {@code from} to {@code to} in etcd, re-encrypted for its new name, atomically.
     * A plain {@link Kv#move} would copy the envelope unchanged, and it would then fail to decrypt at {@code to}
     * ({@link IntegrityCheckFailedException}) because the key name is authenticated with the value.
     *
     * <p>It reads {@code from}, re-encrypts the value for {@code to} with the ring's current key (see
     * {@link #reencrypt}; the plaintext is never decoded or kept), and commits one transaction that writes
     * {@code to} (with {@code from}'s lease, if any) and deletes {@code from}, only if {@code from}'s mod revision
     * is still the one read and {@code to} does not exist. Keys are as given to and returned by {@code kv} (for a
     * namespaced client, relative to its namespace), the same form the values were encrypted for.
     *
     * @param kv the KV to move in, usually {@code client.kv()}
     * @param from the source key
     * @param to the target key
     * @return a future of true when moved; false, with nothing changed, when {@code from} does not exist,
     *     {@code to} exists, or {@code from} changed after it was read (read again and retry if still wanted).
     *     It fails with a {@link DecryptionException} when the stored value does not decrypt under {@code from}
     *     (nothing is changed), with an {@link io.etcdkit.InvalidArgumentException} when {@code from} equals
     *     {@code to} or a key is empty, and with the usual {@link io.etcdkit.EtcdException}s of the transaction
     *     (an {@link io.etcdkit.OutcomeUnknownException} when it may have been applied: read both keys to learn).
     */
    public CompletableFuture<Boolean> moveAsync(Kv kv, Bytes from, Bytes to) {
        return EncryptedMove.move(this, kv, from, to);
    }

    /**
     * Blocking form of {@link #moveAsync(Kv, Bytes, Bytes)}; its failures are thrown.
     *
     * @param kv the KV API to use
     * @param from the source key
     * @param to the target key
     * @return what {@link #moveAsync(Kv, Bytes, Bytes)} completes with
     */
    public boolean move(Kv kv, Bytes from, Bytes to) {
        return Futures.await(moveAsync(kv, from, to));
    }

    /**
     * {@link #move(Kv, Bytes, Bytes)} for UTF-8 keys.
     *
     * @param kv the KV API to use
     * @param from the source key
     * @param to the target key
     * @return as {@link #move(Kv, Bytes, Bytes)}
     */
    public boolean move(Kv kv, String from, String to) {
        return move(kv, Bytes.of(Objects.requireNonNull(from, "from")), Bytes.of(Objects.requireNonNull(to, "to")));
    }

    /**
     * The envelope {@code stored}, read from {@code key}, encrypted with the ring's current key. The value is
     * always authenticated first. When it already uses the current key, {@code stored} itself is returned, so a
     * rotation job can skip the write when {@code rotated.equals(stored)}; otherwise a new envelope is returned,
     * to be written back (best with a compare on the key's mod revision, so a concurrent write is not lost).
     *
     * @param key the key
     * @param stored the stored bytes
     * @return the envelope {@code stored}, read from {@code key}, encrypted with the ring's current key
     * @throws DecryptionException when {@code stored} does not decrypt under {@code key}, as for {@link #decode}
     */
    public Bytes rotate(Bytes key, Bytes stored) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(stored, "stored");
        Envelope envelope = Envelope.parse(name, key, stored);
        byte[] plaintext = open(key, envelope);
        try {
            return envelope.keyId().equals(keys.currentKeyId()) ? stored : seal(key, plaintext);
        } finally {
            Arrays.fill(plaintext, (byte) 0);
        }
    }

    /**
     * The id of the key the envelope {@code stored} names, read from its header without decrypting or
     * authenticating it: for finding the values a rotation still has to re-encrypt.
     *
     * @param stored the stored bytes
     * @return the id of the key the envelope {@code stored} names, read from its header without decrypting or authenticating it: for finding the values a rotation still has to re-encrypt
     * @throws NotAnEnvelopeException when {@code stored} is not an envelope
     * @throws UnsupportedEnvelopeVersionException when the envelope has an unknown format version
     */
    public String keyIdOf(Bytes stored) {
        Objects.requireNonNull(stored, "stored");
        return Envelope.parse(name, null, stored).keyId();
    }

    private Bytes seal(Bytes key, byte[] plaintext) {
        String keyId = keys.currentKeyId();
        byte[] header = Envelope.header(keyId);
        byte[] nonce = new byte[Envelope.NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        byte[] sealed = AesGcm.seal(keys.currentKey().secretKey(), nonce, header, key, plaintext);
        return Envelope.assemble(header, nonce, sealed);
    }

    private byte[] open(Bytes key, Envelope envelope) {
        String keyId = envelope.keyId();
        EncryptionKey encryptionKey = keys.key(keyId);
        if (encryptionKey == null) {
            throw new UnknownKeyIdException(name, key, keyId, DecryptionException.describe(name, key,
                    "it was encrypted with key '" + keyId + "' which this key ring does not hold (it holds "
                            + keys.keyIds() + "); add it to the KeyRing"));
        }
        try {
            return AesGcm.open(encryptionKey.secretKey(), envelope, key);
        } catch (AEADBadTagException e) {
            throw new IntegrityCheckFailedException(name, key, keyId, DecryptionException.describe(name, key,
                    "authentication failed: the value was modified, was written for another key name, or the "
                            + "key ring's key '" + keyId + "' is not the one it was encrypted with. Rewrite the "
                            + "value through the codec (use reencrypt(..) to move encrypted values between "
                            + "keys), or give every client the same key under id '" + keyId + "'"), e);
        }
    }

    /** {@code encrypted(INNER)}, for example {@code encrypted(text)}; never key material. */
    @Override
    public String toString() {
        return name;
    }
}
