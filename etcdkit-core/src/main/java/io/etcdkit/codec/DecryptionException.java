package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.util.Optional;

/**
 * An {@link EncryptedCodec} could not decrypt a stored value; nothing is returned in its place. The subclass
 * says why: {@link UnknownKeyIdException} (the key ring lacks the key the value names),
 * {@link IntegrityCheckFailedException} (wrong key, tampered value, or a value moved from another key),
 * {@link NotAnEnvelopeException} (the stored bytes are not an encrypted value at all) and
 * {@link UnsupportedEnvelopeVersionException} (written by a newer format). The message names the codec and the
 * etcd key, and never contains key material or plaintext.
 *
 * <p>A {@link ValueDecodingException}, so readers that handle malformed values handle these too.
 */
public class DecryptionException extends ValueDecodingException {
    /** The etcd key whose value failed to decrypt. */
    private final Bytes key;

    /**
     * Creates the exception.
     *
     * @param codec the name of the codec, for example {@code encrypted(text)}
     * @param key the etcd key the value was read from, or null when not known
     * @param message what was wrong and what to do
     */
    public DecryptionException(String codec, Bytes key, String message) {
        super(codec, message);
        this.key = key;
    }

    /**
     * Creates the exception with the underlying cause.
     *
     * @param codec the name of the codec that failed
     * @param key the key
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public DecryptionException(String codec, Bytes key, String message, Throwable cause) {
        super(codec, message, cause);
        this.key = key;
    }

    /**
     * The etcd key whose value could not be decrypted, when known.
     *
     * @return the etcd key whose value could not be decrypted, when known
     */
    public Optional<Bytes> key() {
        return Optional.ofNullable(key);
    }

    /** The standard message: {@code codec 'NAME' cannot decrypt the value of key 'KEY': PROBLEM}. */
    static String describe(String codec, Bytes key, String problem) {
        return "codec '" + codec + "' cannot decrypt the value" + (key == null ? "" : " of key '" + key + "'")
                + ": " + problem;
    }
}
