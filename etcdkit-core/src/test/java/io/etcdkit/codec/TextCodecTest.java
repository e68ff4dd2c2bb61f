package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Strict UTF-8 text. */
class TextCodecTest {
    private final ValueCodec<String> text = Codecs.text();

    @ParameterizedTest
    @ValueSource(strings = {"", "plain", "grüße", "日本語", "emoji 😀 outside the BMP", "line\nbreak"})
    void roundTrips(String value) {
        Bytes encoded = text.encode(value);
        assertThat(encoded).isEqualTo(Bytes.of(value));
        assertThat(text.decode(encoded)).isEqualTo(value);
    }

    @Test
    void malformedUtf8IsADecodingErrorWithTheOffset() {
        Bytes bad = Bytes.of(new byte[] {'a', 'b', (byte) 0xC3, 0x28, 'c'});
        assertThatThrownBy(() -> text.decode(bad))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("codec 'text'")
                .hasMessageContaining("malformed UTF-8 at byte offset 2 of 5")
                .satisfies(e -> assertThat(((ValueDecodingException) e).codec()).isEqualTo("text"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "80",             // lone continuation byte
        "c0af",           // overlong encoding of '/'
        "e282",           // truncated 3-byte sequence at the end
        "f09f98",         // truncated 4-byte sequence at the end
        "eda080",         // UTF-16 surrogate encoded as UTF-8 (CESU-8)
        "f4908080",       // beyond U+10FFFF
        "ff"              // never valid
    })
    void rejectsEveryKindOfMalformedUtf8(String hex) {
        Bytes bad = Bytes.of(HexFormat.of().parseHex(hex));
        assertThatThrownBy(() -> text.decode(bad)).isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void unpairedSurrogateCannotBeEncoded() {
        assertThatThrownBy(() -> text.encode("ok\uD83D"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("unpaired UTF-16 surrogate at index 2");
        assertThatThrownBy(() -> text.encode("\uDE00x")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> text.encode(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> text.decode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void isNamedText() {
        assertThat(text).hasToString("text");
    }
}
