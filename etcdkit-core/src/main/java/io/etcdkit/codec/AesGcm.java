package io.etcdkit.codec;

import io.etcdkit.Bytes;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM with a 128-bit tag through {@code javax.crypto}. A {@link Cipher} is not thread-safe and a GCM
 * cipher must be re-initialised for every message anyway, so each call gets its own instance.
 */
final class AesGcm {
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int TAG_BITS = Envelope.TAG_BYTES * 8;

    private AesGcm() {
    }

    /** The ciphertext followed by the tag, authenticating {@code header} then {@code etcdKey}. */
    static byte[] seal(SecretKey key, byte[] nonce, byte[] header, Bytes etcdKey, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(header);
            cipher.updateAAD(etcdKey.asReadOnlyByteBuffer());
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot run " + TRANSFORMATION + ": " + e, e);
        }
    }

    /**
     * The plaintext of {@code envelope}, authenticated together with {@code etcdKey}.
     *
     * @throws AEADBadTagException when authentication fails
     */
    static byte[] open(SecretKey key, Envelope envelope, Bytes etcdKey) throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, envelope.nonce().toByteArray()));
            cipher.updateAAD(envelope.header().asReadOnlyByteBuffer());
            cipher.updateAAD(etcdKey.asReadOnlyByteBuffer());
            return cipher.doFinal(envelope.sealed().toByteArray());
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot run " + TRANSFORMATION + ": " + e, e);
        }
    }
}
