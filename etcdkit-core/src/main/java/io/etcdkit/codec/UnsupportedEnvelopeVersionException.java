package io.etcdkit.codec;

import io.etcdkit.Bytes;

/**
 * The value is an encrypted envelope of a format version ({@link #version()}) this etcdkit does not read:
 * written by a newer etcdkit, so upgrade this reader, or its header was damaged.
 */
public class UnsupportedEnvelopeVersionException extends DecryptionException {
    /** The envelope version found in the value. */
    private final int version;

    /**
     * Creates the exception for an envelope of format {@code version}.
     *
     * @param codec the name of the codec that failed
     * @param key the key
     * @param version the version
     * @param message what was wrong and what to do
     */
    public UnsupportedEnvelopeVersionException(String codec, Bytes key, int version, String message) {
        super(codec, key, message);
        this.version = version;
    }

    /**
     * The envelope format version found in the value.
     *
     * @return the envelope format version found in the value
     */
    public int version() {
        return version;
    }
}
