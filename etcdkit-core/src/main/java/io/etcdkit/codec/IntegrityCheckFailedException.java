package io.etcdkit.codec;

import io.etcdkit.Bytes;

/**
 * AES-GCM authentication of the value failed, so it was not decrypted. One of three things happened: the
 * stored bytes were modified; the value was written for another etcd key name and copied or moved here (use
 * {@link EncryptedCodec#reencrypt} to move encrypted values); or the key the ring holds under
 * {@link #keyId()} is not the key the value was encrypted with (the id names different keys on different
 * clients). Rewrite the value through the codec, or give every client the same key under that id.
 */
public class IntegrityCheckFailedException extends DecryptionException {
    /** The id of the key the value names. */
    private final String keyId;

    /**
     * Creates the exception for a value of {@code key} that failed authentication under {@code keyId}.
     *
     * @param codec the name of the codec that failed
     * @param key the key
     * @param keyId the key id
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public IntegrityCheckFailedException(String codec, Bytes key, String keyId, String message, Throwable cause) {
        super(codec, key, message, cause);
        this.keyId = keyId;
    }

    /**
     * The id of the key the value names and that failed to authenticate it.
     *
     * @return the id of the key the value names and that failed to authenticate it
     */
    public String keyId() {
        return keyId;
    }
}
