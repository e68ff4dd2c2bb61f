package io.etcdkit.codec;

import io.etcdkit.Bytes;

/**
 * The stored bytes are not an encrypted value: they lack the envelope's magic bytes (typically plain text
 * written by a client without encryption, or by {@code etcdctl}) or the envelope header is truncated or
 * malformed. Rewrite the value through the {@link EncryptedCodec}, or read the key with a plain codec.
 */
public class NotAnEnvelopeException extends DecryptionException {
    /**
     * Creates the exception.
     *
     * @param codec the name of the codec that failed
     * @param key the key
     * @param message what was wrong and what to do
     */
    public NotAnEnvelopeException(String codec, Bytes key, String message) {
        super(codec, key, message);
    }
}
