package io.etcdkit.codec;

import io.etcdkit.InvalidConfigurationException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key for {@link EncryptedCodec}, held in a {@link KeyRing} under an id.
 *
 * <p>Make one from 32 raw bytes ({@link #of(byte[])}), from their base64 form ({@link #fromBase64(String)},
 * what {@code openssl rand -base64 32} prints), or generate one ({@link #generate()}). A wrong length or
 * invalid base64 is an {@link InvalidConfigurationException}, whose message never repeats the input.
 *
 * <p>Immutable and thread-safe. The key material is never shown: {@link #toString()} is redacted and equality
 * is identity. The only way to read it back is the explicit {@link #toBase64()}, for storing a generated key in
 * a secret store.
 */
public final class EncryptionKey {
    /** The length of an AES-256 key in bytes. */
    public static final int LENGTH_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private EncryptionKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    /**
     * A key from its 32 raw bytes; the array is copied.
     *
     * @param raw the key-value as read from etcd
     * @return a key from its 32 raw bytes; the array is copied
     * @throws InvalidConfigurationException when {@code raw} is not exactly 32 bytes long
     */
    public static EncryptionKey of(byte[] raw) {
        Objects.requireNonNull(raw, "raw");
        if (raw.length != LENGTH_BYTES) {
            throw new InvalidConfigurationException("an AES-256 encryption key must be exactly " + LENGTH_BYTES
                    + " bytes, but " + raw.length + " bytes were given; generate one with EncryptionKey.generate() "
                    + "or `openssl rand -base64 32`");
        }
        return new EncryptionKey(raw);
    }

    /**
     * A key from the base64 form of its 32 bytes (standard or URL-safe alphabet, padding optional; surrounding
     * whitespace such as a trailing newline from a key file is ignored).
     *
     * @param base64 the base64
     * @return a key from the base64 form of its 32 bytes (standard or URL-safe alphabet, padding optional; surrounding whitespace such as a trailing newline from a key file is ignored)
     * @throws InvalidConfigurationException when the text is not base64 or does not decode to 32 bytes
     */
    public static EncryptionKey fromBase64(String base64) {
        Objects.requireNonNull(base64, "base64");
        String text = base64.strip();
        byte[] raw;
        try {
            boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
            raw = (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            // The exception's message may quote the input; it is key material, so it is not passed on.
            throw new InvalidConfigurationException("the encryption key is not valid base64 (" + text.length()
                    + " characters); give the " + LENGTH_BYTES + " key bytes as base64, for example the output "
                    + "of `openssl rand -base64 32`");
        }
        try {
            return of(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * A new random key from {@link SecureRandom}.
     *
     * @return a new random key from {@link SecureRandom}
     */
    public static EncryptionKey generate() {
        byte[] raw = new byte[LENGTH_BYTES];
        RANDOM.nextBytes(raw);
        try {
            return new EncryptionKey(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * The key material as standard base64 with padding: the form {@link #fromBase64(String)} reads.
     *
     * @return the key material as standard base64 with padding: the form {@link #fromBase64(String)} reads
     */
    public String toBase64() {
        byte[] raw = key.getEncoded();
        try {
            return Base64.getEncoder().encodeToString(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    SecretKey secretKey() {
        return key;
    }

    /** {@code EncryptionKey[AES-256, redacted]}: never the key material. */
    @Override
    public String toString() {
        return "EncryptionKey[AES-256, redacted]";
    }
}
