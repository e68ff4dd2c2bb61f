package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decimal longs, as etcdctl writes them. */
class LongCodecTest {
    private final ValueCodec<Long> longs = Codecs.longs();

    @ParameterizedTest
    @ValueSource(longs = {0, 1, -1, 42, -7, Long.MAX_VALUE, Long.MIN_VALUE})
    void roundTripsAsDecimalText(long value) {
        Bytes encoded = longs.encode(value);
        assertThat(encoded.toStringUtf8()).isEqualTo(Long.toString(value));
        assertThat(longs.decode(encoded)).isEqualTo(value);
    }

    @Test
    void readsWhatEtcdctlWrites() {
        assertThat(longs.decode(Bytes.of("42"))).isEqualTo(42L);
        assertThat(longs.decode(Bytes.of("+5"))).isEqualTo(5L);
        assertThat(longs.decode(Bytes.of("007"))).isEqualTo(7L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "1.5", "1e3", "0x10", "12a", "--1", "1-", "١٢"})
    void rejectsNonIntegers(String value) {
        assertThatThrownBy(() -> longs.decode(Bytes.of(value)))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("codec 'longs'")
                .hasMessageContaining("expected a decimal integer");
    }

    @Test
    void rejectsWhitespaceAndSaysHowToStoreTheNumber() {
        assertThatThrownBy(() -> longs.decode(Bytes.of("42\n")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("offset 2 is whitespace (0x0a)")
                .hasMessageContaining("trailing newline");
        assertThatThrownBy(() -> longs.decode(Bytes.of(" 42"))).isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void rejectsEmptyAndSignOnly() {
        assertThatThrownBy(() -> longs.decode(Bytes.EMPTY)).hasMessageContaining("the value is empty");
        assertThatThrownBy(() -> longs.decode(Bytes.of("-"))).hasMessageContaining("only a sign");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "-9223372036854775809", "123456789012345678901234567890"})
    void rejectsOverflow(String value) {
        assertThatThrownBy(() -> longs.decode(Bytes.of(value)))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("does not fit a 64-bit signed integer");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> longs.encode(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> longs.decode(null)).isInstanceOf(NullPointerException.class);
    }
}
