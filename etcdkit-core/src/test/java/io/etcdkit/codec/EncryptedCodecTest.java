package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** AES-256-GCM encryption bound to the key name, with key rotation and typed failures. */
class EncryptedCodecTest {
    record Secret(String user, String password) {
    }

    static final Bytes KEY = Bytes.of("secrets/db");
    static final Bytes OTHER_KEY = Bytes.of("secrets/other");

    final EncryptionKey k1 = EncryptionKey.generate();
    final EncryptionKey k2 = EncryptionKey.generate();
    final KeyRing ring1 = KeyRing.of("k1", k1);
    final EncryptedCodec<String> text = EncryptedCodec.of(ring1, Codecs.text());

    // ---- round trips and format ---------------------------------------------------------------------

    @Test
    void textRoundTrips() {
        for (String value : List.of("", "s3cret", "grüße 😀", "x".repeat(100_000))) {
            assertThat(text.decode(KEY, text.encode(KEY, value))).isEqualTo(value);
        }
    }

    @Test
    void recordRoundTrips() {
        ValueCodec<Secret> plain = Codecs.of("secret", s -> Bytes.of(s.user() + "\n" + s.password()), b -> {
            String[] parts = b.toStringUtf8().split("\n", 2);
            return new Secret(parts[0], parts[1]);
        });
        EncryptedCodec<Secret> secrets = Codecs.encrypted(ring1, plain);
        Secret secret = new Secret("app", "hunter2");
        assertThat(secrets.decode("secrets/db", secrets.encode("secrets/db", secret))).isEqualTo(secret);
        assertThat(secrets).hasToString("encrypted(secret)");
    }

    @Test
    void bytesAndLongsRoundTrip() {
        EncryptedCodec<Bytes> bytes = EncryptedCodec.of(ring1, Codecs.bytes());
        Bytes binary = Bytes.of(new byte[] {0, 1, (byte) 0xff});
        assertThat(bytes.decode(KEY, bytes.encode(KEY, binary))).isEqualTo(binary);
        EncryptedCodec<Long> longs = EncryptedCodec.of(ring1, Codecs.longs());
        assertThat(longs.decode(KEY, longs.encode(KEY, -42L))).isEqualTo(-42L);
    }

    @Test
    void envelopeHasTheDocumentedLayout() {
        Bytes stored = text.encode(KEY, "s3cret");
        byte[] b = stored.toByteArray();
        assertThat(Arrays.copyOfRange(b, 0, 3)).containsExactly(0xFF, 'E', 'K');
        assertThat(b[3]).isEqualTo((byte) 1);                       // version
        assertThat(b[4]).isEqualTo((byte) 2);                       // key id length
        assertThat(new String(b, 5, 2, StandardCharsets.US_ASCII)).isEqualTo("k1");
        assertThat(b).hasSize(5 + 2 + 12 + "s3cret".length() + 16); // header, nonce, ciphertext, tag
        assertThat(stored.toStringUtf8()).doesNotContain("s3cret");
        assertThat(text.keyIdOf(stored)).isEqualTo("k1");
    }

    @Test
    void noncesAreUniqueAndEqualValuesEncryptDifferently() {
        int n = 20_000;
        Set<Bytes> nonces = new HashSet<>();
        Set<Bytes> ciphertexts = new HashSet<>();
        for (int i = 0; i < n; i++) {
            Bytes stored = text.encode(KEY, "same value");
            nonces.add(stored.substring(7, 19));
            ciphertexts.add(stored.substring(19));
        }
        assertThat(nonces).hasSize(n);
        assertThat(ciphertexts).hasSize(n);
    }

    @Test
    void isSafeToShareBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        String value = "t" + thread + "-" + i;
                        Bytes key = Bytes.of("k/" + thread + "/" + i);
                        if (!text.decode(key, text.encode(key, value)).equals(value)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- rotation -----------------------------------------------------------------------------------

    @Test
    void rotationKeepsOldValuesReadableAndWritesWithTheNewKey() {
        Bytes old = text.encode(KEY, "written with k1");
        EncryptedCodec<String> rotated = text.withKeyRing(ring1.withKey("k2", k2).withCurrent("k2"));

        assertThat(rotated.decode(KEY, old)).isEqualTo("written with k1");
        Bytes fresh = rotated.encode(KEY, "written with k2");
        assertThat(rotated.keyIdOf(fresh)).isEqualTo("k2");
        assertThat(rotated.decode(KEY, fresh)).isEqualTo("written with k2");
    }

    @Test
    void rotateReEncryptsWithTheCurrentKey() {
        Bytes old = text.encode(KEY, "v");
        EncryptedCodec<String> rotated = text.withKeyRing(ring1.withKey("k2", k2).withCurrent("k2"));

        Bytes moved = rotated.rotate(KEY, old);
        assertThat(rotated.keyIdOf(moved)).isEqualTo("k2");
        assertThat(moved).isNotEqualTo(old);
        // readable once k1 is dropped
        EncryptedCodec<String> retired = rotated.withKeyRing(rotated.keyRing().withoutKey("k1"));
        assertThat(retired.decode(KEY, moved)).isEqualTo("v");
        assertThatThrownBy(() -> retired.decode(KEY, old)).isInstanceOf(UnknownKeyIdException.class);
        // already current: returned unchanged, so the caller can skip the write
        assertThat(rotated.rotate(KEY, moved)).isSameAs(moved);
    }

    @Test
    void rotateStillAuthenticatesAValueThatUsesTheCurrentKey() {
        Bytes stored = text.encode(KEY, "v");
        assertThatThrownBy(() -> text.rotate(OTHER_KEY, stored)).isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void reencryptMovesAValueToAnotherKeyName() {
        Bytes stored = text.encode(KEY, "portable");
        Bytes moved = text.reencrypt(KEY, OTHER_KEY, stored);
        assertThat(text.decode(OTHER_KEY, moved)).isEqualTo("portable");
        assertThatThrownBy(() -> text.decode(KEY, moved)).isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> text.reencrypt(OTHER_KEY, KEY, stored))
                .isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void reencryptUsesTheCurrentKey() {
        Bytes stored = text.encode(KEY, "v");
        EncryptedCodec<String> rotated = text.withKeyRing(ring1.withKey("k2", k2).withCurrent("k2"));
        assertThat(rotated.keyIdOf(rotated.reencrypt(KEY, OTHER_KEY, stored))).isEqualTo("k2");
    }

    @Test
    void anotherClientWithTheSameKeyMaterialReadsTheValue() {
        Bytes stored = text.encode(KEY, "shared");
        EncryptedCodec<String> other = EncryptedCodec.of(KeyRing.of("k1", EncryptionKey.fromBase64(k1.toBase64())),
                Codecs.text());
        assertThat(other.decode(KEY, stored)).isEqualTo("shared");
    }

    @Test
    void afterRotationValuesSwappedBetweenKeysAreStillRejected() {
        EncryptedCodec<String> rotated = text.withKeyRing(ring1.withKey("k2", k2).withCurrent("k2"));
        Bytes oldAtKey = text.encode(KEY, "old");          // k1
        Bytes newAtOther = rotated.encode(OTHER_KEY, "new"); // k2
        assertThatThrownBy(() -> rotated.decode(OTHER_KEY, oldAtKey)).isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> rotated.decode(KEY, newAtOther)).isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> rotated.rotate(OTHER_KEY, oldAtKey)).isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void reencryptRefusesWhatItCannotAuthenticate() {
        Bytes unknown = EncryptedCodec.of(KeyRing.of("k9", k2), Codecs.text()).encode(KEY, "v");
        assertThatThrownBy(() -> text.reencrypt(KEY, OTHER_KEY, unknown)).isInstanceOf(UnknownKeyIdException.class);
        byte[] tampered = text.encode(KEY, "v").toByteArray();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> text.reencrypt(KEY, OTHER_KEY, Bytes.of(tampered)))
                .isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> text.reencrypt(KEY, OTHER_KEY, Bytes.of("plain")))
                .isInstanceOf(NotAnEnvelopeException.class);
    }

    // ---- failures -----------------------------------------------------------------------------------

    @Test
    void wrongKeyUnderTheSameIdFailsAuthentication() {
        Bytes stored = text.encode(KEY, "v");
        EncryptedCodec<String> impostor = EncryptedCodec.of(KeyRing.of("k1", k2), Codecs.text());
        assertThatThrownBy(() -> impostor.decode(KEY, stored))
                .isInstanceOf(IntegrityCheckFailedException.class)
                .hasMessageContaining("codec 'encrypted(text)' cannot decrypt the value of key 'secrets/db'")
                .hasMessageContaining("authentication failed: the value was modified, was written for another "
                        + "key name, or the key ring's key 'k1' is not the one it was encrypted with")
                .satisfies(e -> {
                    IntegrityCheckFailedException failure = (IntegrityCheckFailedException) e;
                    assertThat(failure.keyId()).isEqualTo("k1");
                    assertThat(failure.key()).contains(KEY);
                    assertThat(failure.codec()).isEqualTo("encrypted(text)");
                });
    }

    @Test
    void valueSwappedBetweenTwoKeysIsRejected() {
        Bytes a = text.encode(KEY, "value of db");
        Bytes b = text.encode(OTHER_KEY, "value of other");
        assertThatThrownBy(() -> text.decode(KEY, b)).isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> text.decode(OTHER_KEY, a)).isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void keyNamesThatDifferOnlyByAPrefixBoundaryAreDistinct() {
        Bytes stored = text.encode(Bytes.of("a/b"), "v");
        assertThatThrownBy(() -> text.decode(Bytes.of("a/b/"), stored)).isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> text.decode(Bytes.of("a/"), stored)).isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void unknownKeyIdIsATypedErrorThatSaysWhatToAdd() {
        EncryptedCodec<String> newer = EncryptedCodec.of(KeyRing.of("k2", k2), Codecs.text());
        Bytes stored = newer.encode(KEY, "v");
        assertThatThrownBy(() -> text.decode(KEY, stored))
                .isInstanceOf(UnknownKeyIdException.class)
                .hasMessageContaining("encrypted with key 'k2' which this key ring does not hold (it holds [k1]); "
                        + "add it to the KeyRing")
                .satisfies(e -> assertThat(((UnknownKeyIdException) e).keyId()).isEqualTo("k2"));
    }

    @Test
    void plainTextWhereCiphertextWasExpectedIsNotAnEnvelope() {
        for (String plain : List.of("", "s3cret", "{\"json\":true}", "42")) {
            assertThatThrownBy(() -> text.decode(KEY, Bytes.of(plain)))
                    .isInstanceOf(NotAnEnvelopeException.class)
                    .hasMessageContaining("are not an encrypted value")
                    .hasMessageContaining("plain text written without encryption");
        }
    }

    @Test
    void truncatedEnvelopeIsRejected() {
        Bytes stored = text.encode(KEY, "value");
        for (int length : new int[] {3, 4, 5, 7, 19, 34}) {
            assertThatThrownBy(() -> text.decode(KEY, stored.substring(0, length)))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(NotAnEnvelopeException.class);
        }
        // cutting into the ciphertext or tag is caught by authentication
        assertThatThrownBy(() -> text.decode(KEY, stored.substring(0, stored.size() - 1)))
                .isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void unsupportedEnvelopeVersionIsATypedError() {
        byte[] b = text.encode(KEY, "v").toByteArray();
        b[3] = 2;
        assertThatThrownBy(() -> text.decode(KEY, Bytes.of(b)))
                .isInstanceOf(UnsupportedEnvelopeVersionException.class)
                .hasMessageContaining("format version 2")
                .satisfies(e -> assertThat(((UnsupportedEnvelopeVersionException) e).version()).isEqualTo(2));
    }

    @Test
    void plaintextRejectedByTheInnerCodecIsReportedWithoutRevealingIt() {
        EncryptedCodec<Bytes> raw = EncryptedCodec.of(ring1, Codecs.bytes());
        Bytes stored = raw.encode(KEY, Bytes.of("SECRET-not-a-number"));
        EncryptedCodec<Long> longs = EncryptedCodec.of(ring1, Codecs.longs());
        assertThatThrownBy(() -> longs.decode(KEY, stored))
                .isInstanceOf(ValueDecodingException.class)
                .isNotInstanceOf(DecryptionException.class)
                .hasMessageContaining("plaintext is not valid for codec 'longs'")
                .hasMessageNotContaining("SECRET")
                .hasNoCause();
    }

    @Test
    void decryptionErrorsAreValueDecodingErrors() {
        assertThatThrownBy(() -> text.decode(KEY, Bytes.of("plain"))).isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void noMessageOrNameContainsKeyMaterial() {
        String material = k1.toBase64();
        Bytes stored = text.encode(KEY, "v");
        EncryptedCodec<String> impostor = EncryptedCodec.of(KeyRing.of("k1", k2), Codecs.text());
        List<Throwable> errors = new ArrayList<>();
        for (Runnable r : List.<Runnable>of(
                () -> impostor.decode(KEY, stored),
                () -> text.decode(KEY, Bytes.of("plain")),
                () -> EncryptedCodec.of(KeyRing.of("k9", k2), Codecs.text()).decode(KEY, stored))) {
            try {
                r.run();
            } catch (DecryptionException e) {
                errors.add(e);
            }
        }
        assertThat(errors).hasSize(3).allSatisfy(e -> assertThat(e.getMessage())
                .doesNotContain(material).doesNotContain(k2.toBase64()));
        assertThat(text.toString() + text.keyRing()).doesNotContain(material);
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> text.encode(KEY, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> text.encode((Bytes) null, "v")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> text.decode(KEY, null)).isInstanceOf(NullPointerException.class);
    }
}
