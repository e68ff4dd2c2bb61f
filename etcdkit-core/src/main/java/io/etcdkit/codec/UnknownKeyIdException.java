package io.etcdkit.codec;

import io.etcdkit.Bytes;

/**
 * The value was encrypted with a key whose id ({@link #keyId()}) the {@link KeyRing} does not hold: it was
 * written by a client with a newer ring, or the key was removed before the value was rotated. Add the key under
 * that id to the ring.
 */
public class UnknownKeyIdException extends DecryptionException {
    /** The id of the key the value names. */
    private final String keyId;

    /**
     * Creates the exception for a value of {@code key} that names the absent key {@code keyId}.
     *
     * @param codec the name of the codec that failed
     * @param key the key
     * @param keyId the key id
     * @param message what was wrong and what to do
     */
    public UnknownKeyIdException(String codec, Bytes key, String keyId, String message) {
        super(codec, key, message);
        this.keyId = keyId;
    }

    /**
     * The id of the key the value was encrypted with.
     *
     * @return the id of the key the value was encrypted with
     */
    public String keyId() {
        return keyId;
    }
}
