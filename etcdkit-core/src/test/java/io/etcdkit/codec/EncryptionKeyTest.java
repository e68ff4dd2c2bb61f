package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.InvalidConfigurationException;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES-256 keys: lengths, base64, and never showing the key material. */
class EncryptionKeyTest {
    private static final byte[] RAW = new byte[32];

    static {
        Arrays.fill(RAW, (byte) 7);
    }

    @Test
    void acceptsThirtyTwoRawBytesAndCopiesThem() {
        byte[] raw = RAW.clone();
        EncryptionKey key = EncryptionKey.of(raw);
        raw[0] = 99;
        assertThat(key.toBase64()).isEqualTo(Base64.getEncoder().encodeToString(RAW));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 16, 24, 31, 33, 64})
    void wrongRawLengthIsAConfigurationError(int length) {
        assertThatThrownBy(() -> EncryptionKey.of(new byte[length]))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("must be exactly 32 bytes, but " + length + " bytes were given");
    }

    @Test
    void readsStandardAndUrlSafeBase64WithOrWithoutPaddingAndNewline() {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 0xFB); // encodes with '+' / '-' characters
        String standard = Base64.getEncoder().encodeToString(raw);
        String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        assertThat(EncryptionKey.fromBase64(standard).toBase64()).isEqualTo(standard);
        assertThat(EncryptionKey.fromBase64(urlSafe).toBase64()).isEqualTo(standard);
        assertThat(EncryptionKey.fromBase64(standard + "\n").toBase64()).isEqualTo(standard);
    }

    @Test
    void base64OfTheWrongLengthIsAConfigurationError() {
        String sixteen = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> EncryptionKey.fromBase64(sixteen))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("16 bytes were given");
    }

    @Test
    void invalidBase64IsAConfigurationErrorThatDoesNotRepeatTheInput() {
        String secretLooking = "not*base64*SECRETSECRETSECRET";
        assertThatThrownBy(() -> EncryptionKey.fromBase64(secretLooking))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("SECRET")
                .hasNoCause();
    }

    @Test
    void generatedKeysDiffer() {
        assertThat(EncryptionKey.generate().toBase64()).isNotEqualTo(EncryptionKey.generate().toBase64());
        assertThat(Base64.getDecoder().decode(EncryptionKey.generate().toBase64())).hasSize(32);
    }

    @Test
    void toStringNeverShowsKeyMaterial() {
        EncryptionKey key = EncryptionKey.of(RAW);
        assertThat(key.toString())
                .isEqualTo("EncryptionKey[AES-256, redacted]")
                .doesNotContain(key.toBase64());
    }
}
