package io.etcdkit.jackson;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** JSON through Jackson. */
class JsonCodecTest {
    record Endpoint(String host, int port) {
    }

    record Config(String mode, int replicas, List<Endpoint> endpoints, Map<String, String> labels) {
    }

    static final class Opaque {
        private final Object self = this;
    }

    private final ValueCodec<Config> json = JacksonCodecs.json(Config.class);
    private final Config config = new Config("fast", 3, List.of(new Endpoint("a", 1), new Endpoint("b", 2)),
            Map.of("team", "core"));

    @Test
    void recordRoundTrips() {
        Bytes encoded = json.encode(config);
        assertThat(encoded.toStringUtf8()).startsWith("{\"mode\":\"fast\",\"replicas\":3");
        assertThat(json.decode(encoded)).isEqualTo(config);
    }

    @Test
    void genericTypeRoundTrips() {
        ValueCodec<List<Endpoint>> list = JacksonCodecs.json(new TypeReference<List<Endpoint>>() { });
        List<Endpoint> endpoints = List.of(new Endpoint("x", 9));
        assertThat(list.decode(list.encode(endpoints))).isEqualTo(endpoints);
        assertThat(list.toString()).isEqualTo("json(java.util.List<io.etcdkit.jackson.JsonCodecTest$Endpoint>)");
    }

    @Test
    void malformedJsonIsADecodingErrorNamingTheCodecAndLocation() {
        assertThatThrownBy(() -> json.decode(Bytes.of("{\"mode\": \"fast\", replicas: 3}")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("codec 'json(io.etcdkit.jackson.JsonCodecTest$Config)' cannot decode the value")
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining("line 1, column")
                .satisfies(e -> assertThat(((ValueDecodingException) e).codec())
                        .isEqualTo("json(io.etcdkit.jackson.JsonCodecTest$Config)"));
    }

    @Test
    void trailingContentIsRejected() {
        Bytes valid = json.encode(config);
        assertThatThrownBy(() -> json.decode(valid.concat(Bytes.of("garbage"))))
                .isInstanceOf(ValueDecodingException.class);
        assertThatThrownBy(() -> json.decode(valid.concat(valid))).isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void truncatedJsonIsRejected() {
        Bytes valid = json.encode(config);
        assertThatThrownBy(() -> json.decode(valid.substring(0, valid.size() - 3)))
                .isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void typeMismatchNamesTheJsonPath() {
        assertThatThrownBy(() -> json.decode(Bytes.of("{\"mode\":\"x\",\"endpoints\":[{\"host\":\"a\",\"port\":\"many\"}]}")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("does not match io.etcdkit.jackson.JsonCodecTest$Config at $.endpoints[0].port");
    }

    @Test
    void emptyValueAndJsonNullAreRejected() {
        assertThatThrownBy(() -> json.decode(Bytes.EMPTY)).hasMessageContaining("the value is empty");
        assertThatThrownBy(() -> json.decode(Bytes.of("null")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("JSON literal null");
    }

    @Test
    void absentPropertiesGetDefaultsSoOlderWritersStayReadable() {
        Config read = json.decode(Bytes.of("{\"mode\":\"fast\"}"));
        assertThat(read).isEqualTo(new Config("fast", 0, null, null));
    }

    @Test
    void aStrictMapperRejectsAbsentPrimitives() {
        ObjectMapper strict = JacksonCodecs.defaultObjectMapper().enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        ValueCodec<Config> strictJson = JacksonCodecs.json(Config.class, strict);
        assertThatThrownBy(() -> strictJson.decode(Bytes.of("{\"mode\":\"x\"}")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("at $.replicas");
    }

    @Test
    void invalidUtf8InsideJsonIsRejected() {
        Bytes bad = Bytes.of("{\"mode\":\"").concat(Bytes.of(new byte[] {(byte) 0xC3, 0x28})).concat(Bytes.of("\"}"));
        assertThatThrownBy(() -> json.decode(bad)).isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void unknownPropertiesAreIgnoredByDefault() {
        Config read = json.decode(Bytes.of("{\"mode\":\"fast\",\"replicas\":3,\"addedInV2\":true}"));
        assertThat(read.mode()).isEqualTo("fast");
        assertThat(read.replicas()).isEqualTo(3);
    }

    @Test
    void aStrictMapperRejectsUnknownProperties() {
        ObjectMapper strict = JacksonCodecs.defaultObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        ValueCodec<Config> strictJson = JacksonCodecs.json(Config.class, strict);
        assertThatThrownBy(() -> strictJson.decode(Bytes.of("{\"mode\":\"fast\",\"addedInV2\":true}")))
                .isInstanceOf(ValueDecodingException.class)
                .hasMessageContaining("addedInV2");
    }

    @Test
    void laterMapperChangesDoNotAffectAMadeCodec() {
        ObjectMapper mapper = JacksonCodecs.defaultObjectMapper();
        ValueCodec<Config> codec = JacksonCodecs.json(Config.class, mapper);
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        assertThat(codec.decode(Bytes.of("{\"mode\":\"fast\",\"addedInV2\":true}")).mode()).isEqualTo("fast");
    }

    @Test
    void trailingContentIsRejectedEvenWithAPlainMapper() {
        ValueCodec<Config> codec = JacksonCodecs.json(Config.class, new ObjectMapper());
        assertThatThrownBy(() -> codec.decode(Bytes.of("{\"mode\":\"a\"} {}"))).isInstanceOf(ValueDecodingException.class);
    }

    @Test
    void unserializableValueIsAnInvalidArgument() {
        ValueCodec<Opaque> opaque = JacksonCodecs.json(Opaque.class);
        assertThatThrownBy(() -> opaque.encode(new Opaque()))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("cannot encode the value");
    }

    @Test
    void nullsAreRejected() {
        assertThatThrownBy(() -> json.encode(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> json.decode(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void encryptedJsonRoundTrips() {
        EncryptedCodec<Config> encrypted = Codecs.encrypted(KeyRing.of("k1", EncryptionKey.generate()), json);
        Bytes stored = encrypted.encode("config/app", config);
        assertThat(stored.toStringUtf8()).doesNotContain("fast");
        assertThat(encrypted.decode("config/app", stored)).isEqualTo(config);
        assertThat(encrypted).hasToString("encrypted(json(io.etcdkit.jackson.JsonCodecTest$Config))");
    }
}
