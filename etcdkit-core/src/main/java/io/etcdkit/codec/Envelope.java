package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * The stored form of an encrypted value, format version 1:
 * <pre>
 * offset        size  field
 * 0             3     magic 0xFF 0x45 0x4B ("\xFF" "E" "K"; 0xFF never occurs in UTF-8, so no text, JSON or
 *                     number written in the clear can be mistaken for an envelope)
 * 3             1     format version, 0x01
 * 4             1     key id length L, 1..64
 * 5             L     key id, printable ASCII
 * 5+L           12    AES-GCM nonce (random per value)
 * 17+L          n     ciphertext (as long as the plaintext)
 * 17+L+n        16    GCM authentication tag
 * </pre>
 * The header (bytes 0 to 5+L) and then the etcd key name are the GCM associated data, so changing the header
 * or reading the value under another key fails authentication.
 *
 * @param version the format version
 * @param keyId the id of the key that encrypted the value
 * @param header the header bytes, magic through key id (the first part of the associated data)
 * @param nonce the GCM nonce
 * @param sealed the ciphertext followed by the tag
 */
record Envelope(int version, String keyId, Bytes header, Bytes nonce, Bytes sealed) {
    static final byte[] MAGIC = {(byte) 0xFF, 0x45, 0x4B};
    static final int VERSION = 1;
    static final int NONCE_BYTES = 12;
    static final int TAG_BYTES = 16;
    private static final int FIXED_HEADER = MAGIC.length + 2;

    /** The header for values encrypted with {@code keyId} (a valid id). */
    static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] header = new byte[FIXED_HEADER + id.length];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        header[MAGIC.length] = VERSION;
        header[MAGIC.length + 1] = (byte) id.length;
        System.arraycopy(id, 0, header, FIXED_HEADER, id.length);
        return header;
    }

    /** The stored bytes: header, nonce, then ciphertext with tag. */
    static Bytes assemble(byte[] header, byte[] nonce, byte[] sealed) {
        byte[] out = new byte[header.length + nonce.length + sealed.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(nonce, 0, out, header.length, nonce.length);
        System.arraycopy(sealed, 0, out, header.length + nonce.length, sealed.length);
        return Bytes.of(out);
    }

    /**
     * Parses stored bytes; does not authenticate them.
     *
     * @param codec the codec's name, for messages
     * @param key the etcd key, for messages; may be null
     * @throws NotAnEnvelopeException when the magic is missing or the header or length is malformed
     * @throws UnsupportedEnvelopeVersionException when the version is not 1
     */
    static Envelope parse(String codec, Bytes key, Bytes stored) {
        if (!hasMagic(stored)) {
            throw new NotAnEnvelopeException(codec, key, DecryptionException.describe(codec, key,
                    "the " + stored.size() + " stored bytes are not an encrypted value (they do not start with "
                            + "the envelope marker 0xFF 'E' 'K'); it is probably plain text written without "
                            + "encryption. Rewrite it through the EncryptedCodec, or read it with a plain codec"));
        }
        if (stored.size() < FIXED_HEADER) {
            throw truncated(codec, key, stored);
        }
        int version = stored.byteAt(MAGIC.length) & 0xff;
        if (version != VERSION) {
            throw new UnsupportedEnvelopeVersionException(codec, key, version, DecryptionException.describe(codec,
                    key, "the value is an encrypted envelope of format version " + version + ", but this etcdkit "
                            + "reads only version " + VERSION + "; it was written by a newer etcdkit (upgrade "
                            + "this reader) or its header was damaged"));
        }
        int idLength = stored.byteAt(MAGIC.length + 1) & 0xff;
        if (idLength < 1 || idLength > KeyRing.MAX_ID_LENGTH) {
            throw new NotAnEnvelopeException(codec, key, DecryptionException.describe(codec, key,
                    "the envelope header is malformed: its key id length is " + idLength + ", not 1 to "
                            + KeyRing.MAX_ID_LENGTH + "; the value was damaged. Rewrite it through the codec"));
        }
        int headerLength = FIXED_HEADER + idLength;
        if (stored.size() < headerLength + NONCE_BYTES + TAG_BYTES) {
            throw truncated(codec, key, stored);
        }
        String keyId = stored.substring(FIXED_HEADER, headerLength).toStringUtf8();
        if (!KeyRing.isValidId(keyId)) {
            throw new NotAnEnvelopeException(codec, key, DecryptionException.describe(codec, key,
                    "the envelope header is malformed: its key id is not printable ASCII; the value was "
                            + "damaged. Rewrite it through the codec"));
        }
        return new Envelope(version, keyId, stored.substring(0, headerLength),
                stored.substring(headerLength, headerLength + NONCE_BYTES),
                stored.substring(headerLength + NONCE_BYTES));
    }

    static boolean hasMagic(Bytes stored) {
        if (stored.size() < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (stored.byteAt(i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static NotAnEnvelopeException truncated(String codec, Bytes key, Bytes stored) {
        return new NotAnEnvelopeException(codec, key, DecryptionException.describe(codec, key,
                "the encrypted value is truncated: " + stored.size() + " bytes is shorter than an envelope's "
                        + "header, " + NONCE_BYTES + "-byte nonce and " + TAG_BYTES + "-byte tag. Rewrite it "
                        + "through the codec"));
    }
}
