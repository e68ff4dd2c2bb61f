package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The identity codec, codecs made of functions, and plain codecs seen as key-bound. */
class BytesAndCustomCodecTest {

    @Test
    void bytesCodecIsTheIdentity() {
        Bytes raw = Bytes.of(new byte[] {0, (byte) 0xff, 1});
        assertThat(Codecs.bytes().encode(raw)).isSameAs(raw);
        assertThat(Codecs.bytes().decode(raw)).isSameAs(raw);
        assertThat(Codecs.bytes().decode(Bytes.EMPTY)).isEqualTo(Bytes.EMPTY);
        assertThat(Codecs.bytes()).hasToString("bytes");
        assertThatThrownBy(() -> Codecs.bytes().encode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void functionCodecRoundTrips() {
        ValueCodec<UUID> uuids = Codecs.of("uuid", u -> Bytes.of(u.toString()), b -> UUID.fromString(b.toStringUtf8()));
        UUID id = UUID.randomUUID();
        assertThat(uuids.decode(uuids.encode(id))).isEqualTo(id);
        assertThat(uuids).hasToString("uuid");
    }

    @Test
    void functionCodecTurnsDecoderFailuresIntoTypedErrors() {
        ValueCodec<UUID> uuids = Codecs.of("uuid", u -> Bytes.of(u.toString()), b -> UUID.fromString(b.toStringUtf8()));
        assertThatThrownBy(() -> uuids.decode(Bytes.of("not-a-uuid")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("codec 'uuid' cannot decode the value")
                .hasMessageContaining("IllegalArgumentException")
                .hasCauseInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void functionCodecRejectsNullFromTheDecoder() {
        ValueCodec<String> nulls = Codecs.of("nulls", Bytes::of, b -> null);
        assertThatThrownBy(() -> nulls.decode(Bytes.of("x")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("returned no value (null)");
    }

    @Test
    void ignoringKeyDelegatesAndChecksTheKey() {
        KeyBoundCodec<String> bound = KeyBoundCodec.ignoringKey(Codecs.text());
        assertThat(bound.encode("any/key", "v")).isEqualTo(Bytes.of("v"));
        assertThat(bound.decode(new KeyValue(Bytes.of("k"), Bytes.of("v"), 1, 1, 1, 0))).isEqualTo("v");
        assertThat(bound).hasToString("text");
        assertThatThrownBy(() -> bound.encode((Bytes) null, "v")).isInstanceOf(NullPointerException.class);
    }
}
