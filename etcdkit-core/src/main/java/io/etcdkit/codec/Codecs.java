package io.etcdkit.codec;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.etcdkit.Bytes;
import java.util.Objects;
import java.util.function.Function;

/**
 * The standard value codecs. Every codec returned here is immutable and thread-safe, follows the
 * {@link ValueCodec} contract (no nulls; a bad value is a {@link ValueDecodingException}, never garbage) and
 * has a short name, its {@code toString()}, that error messages use.
 *
 * <pre>{@code
 * ValueCodec<Config> json = Codecs.json(Config.class);
 * client.kv().put(Bytes.of("config/app"), json.encode(new Config("fast", 3)));
 * Config config = json.decode(client.kv().get("config/app").orElseThrow().value());
 * }</pre>
 */
public final class Codecs {
    private static final ObjectMapper DEFAULT_MAPPER = defaultObjectMapper();

    private Codecs() {
    }

    /** The stored bytes as they are (name {@code bytes}). */
    public static ValueCodec<Bytes> bytes() {
        return BytesCodec.INSTANCE;
    }

    /**
     * Strict UTF-8 text (name {@code text}). Malformed UTF-8 is a {@link ValueDecodingException} that gives the
     * byte offset, never U+FFFD replacement characters; a string with an unpaired surrogate cannot be encoded
     * ({@link io.etcdkit.InvalidArgumentException}). The empty string is the empty value.
     */
    public static ValueCodec<String> text() {
        return TextCodec.INSTANCE;
    }

    /**
     * A {@code long} as decimal ASCII text, as etcd tooling writes numbers: {@code etcdctl put counter 42}
     * (name {@code longs}). Decoding accepts {@code [+-]?[0-9]+} within the range of {@code long} and nothing
     * else: no surrounding whitespace or trailing newline, no empty value.
     */
    public static ValueCodec<Long> longs() {
        return LongCodec.INSTANCE;
    }

    /**
     * JSON for {@code type}, with the {@linkplain #defaultObjectMapper() default mapper} (name
     * {@code json(TYPE)}). Records are supported.
     */
    public static <T> ValueCodec<T> json(Class<T> type) {
        return json(type, DEFAULT_MAPPER);
    }

    /** JSON for a generic type such as {@code new TypeReference<List<Member>>() {}}, with the default mapper. */
    public static <T> ValueCodec<T> json(TypeReference<T> type) {
        return json(type, DEFAULT_MAPPER);
    }

    /**
     * JSON for {@code type} with {@code mapper}. The codec takes an immutable reader and writer from the mapper
     * now; configure the mapper (modules, features) before calling this. Whatever the mapper's settings,
     * content after the JSON document is rejected, as is the JSON literal {@code null}. Malformed JSON and JSON
     * that does not fit the type are {@link ValueDecodingException}s whose message gives the location and the
     * JSON path; a value Jackson cannot serialize is an {@link io.etcdkit.InvalidArgumentException}.
     */
    public static <T> ValueCodec<T> json(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    /** {@link #json(Class, ObjectMapper)} for a generic type. */
    public static <T> ValueCodec<T> json(TypeReference<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    /**
     * A new mapper with the settings the JSON codecs use by default, to extend (say, with
     * {@code findAndRegisterModules()}) and pass to {@link #json(Class, ObjectMapper)}. Each call returns a new
     * instance. The defaults tolerate schema evolution in both directions, because values in etcd are shared by
     * services of different versions and, during a rolling upgrade, an older reader must keep reading what a
     * newer writer stored (and the other way round) instead of reporting the value malformed:
     * <ul>
     *   <li><b>unknown properties are ignored</b> (a field added by a newer writer);</li>
     *   <li><b>absent properties get Jackson's defaults</b>: null, 0 or false (a field an older writer did not
     *       know), as does an explicit {@code null} for a primitive;</li>
     *   <li>trailing content after the document is rejected ({@link DeserializationFeature#FAIL_ON_TRAILING_TOKENS}).</li>
     * </ul>
     * For strict reading enable {@link DeserializationFeature#FAIL_ON_UNKNOWN_PROPERTIES},
     * {@link DeserializationFeature#FAIL_ON_NULL_FOR_PRIMITIVES} (for records it also rejects absent primitive
     * components) or {@link DeserializationFeature#FAIL_ON_MISSING_CREATOR_PROPERTIES} on the returned mapper.
     */
    public static ObjectMapper defaultObjectMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * A codec made of two functions, named {@code name} in error messages. The contract is enforced around
     * the functions: null values are rejected, an exception thrown by {@code decoder} (other than a
     * {@link ValueDecodingException}, which passes through) becomes a {@link ValueDecodingException} naming the
     * codec, and a decoder that returns null fails likewise. Both functions must be thread-safe.
     */
    public static <T> ValueCodec<T> of(String name, Function<? super T, Bytes> encoder,
                                       Function<? super Bytes, ? extends T> decoder) {
        return new FunctionCodec<>(name, encoder, decoder);
    }

    /**
     * Client-side AES-256-GCM encryption of the values of {@code codec}, with the keys of {@code keys}, bound to
     * the etcd key name; see {@link EncryptedCodec}.
     */
    public static <T> EncryptedCodec<T> encrypted(KeyRing keys, ValueCodec<T> codec) {
        return EncryptedCodec.of(keys, codec);
    }
}
