package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.etcdkit.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every modification of a stored envelope is detected and reported as a typed {@link DecryptionException}:
 * never garbage, never an untyped exception.
 */
class EnvelopeTamperingTest {
    static final Bytes KEY = Bytes.of("secrets/db");
    // layout for key id "k1" and a 6-byte plaintext: header 0..6, nonce 7..18, ciphertext 19..24, tag 25..40
    final EncryptedCodec<String> codec = EncryptedCodec.of(KeyRing.of("k1", EncryptionKey.generate()), Codecs.text());
    final Bytes stored = codec.encode(KEY, "s3cret");

    @ParameterizedTest(name = "{0}: flip bit {2} of byte {1}")
    @CsvSource({
        "magic,           0, 0, io.etcdkit.codec.NotAnEnvelopeException",
        "magic,           2, 7, io.etcdkit.codec.NotAnEnvelopeException",
        "version,         3, 1, io.etcdkit.codec.UnsupportedEnvelopeVersionException",
        "key id length,   4, 1, io.etcdkit.codec.NotAnEnvelopeException",
        "key id length,   4, 7, io.etcdkit.codec.NotAnEnvelopeException",
        "key id,          6, 1, io.etcdkit.codec.UnknownKeyIdException",
        "key id,          5, 7, io.etcdkit.codec.NotAnEnvelopeException",
        "nonce,           7, 0, io.etcdkit.codec.IntegrityCheckFailedException",
        "nonce,          18, 5, io.etcdkit.codec.IntegrityCheckFailedException",
        "ciphertext,     19, 0, io.etcdkit.codec.IntegrityCheckFailedException",
        "ciphertext,     24, 3, io.etcdkit.codec.IntegrityCheckFailedException",
        "tag,            25, 0, io.etcdkit.codec.IntegrityCheckFailedException",
        "tag,            40, 7, io.etcdkit.codec.IntegrityCheckFailedException",
    })
    void flippedBitIsATypedError(String region, int index, int bit, Class<? extends DecryptionException> expected) {
        assertThat(stored.size()).isEqualTo(41);
        assertThatThrownBy(() -> codec.decode(KEY, flip(stored, index, bit))).isExactlyInstanceOf(expected);
    }

    @Test
    void everySingleBitFlipIsDetected() {
        for (int index = 0; index < stored.size(); index++) {
            for (int bit = 0; bit < 8; bit++) {
                Bytes tampered = flip(stored, index, bit);
                Throwable thrown = catchThrowable(() -> codec.decode(KEY, tampered));
                assertThat(thrown).as("byte %d bit %d", index, bit).isInstanceOf(DecryptionException.class);
            }
        }
    }

    @Test
    void appendedBytesAreDetected() {
        assertThatThrownBy(() -> codec.decode(KEY, stored.concat(Bytes.of("x"))))
                .isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void aHeaderRewrittenToAnotherKeyIdOfTheRingFailsAuthentication() {
        // both ids in the ring name the same key, so only the authenticated header can catch the change
        EncryptionKey shared = EncryptionKey.generate();
        EncryptedCodec<String> two = EncryptedCodec.of(KeyRing.of("k1", shared).withKey("k2", shared), Codecs.text());
        byte[] b = two.encode(KEY, "v").toByteArray();
        b[6] = '2';
        assertThatThrownBy(() -> two.decode(KEY, Bytes.of(b))).isInstanceOf(IntegrityCheckFailedException.class);
    }

    private static Bytes flip(Bytes bytes, int index, int bit) {
        byte[] b = bytes.toByteArray();
        b[index] ^= (byte) (1 << bit);
        return Bytes.of(b);
    }
}
