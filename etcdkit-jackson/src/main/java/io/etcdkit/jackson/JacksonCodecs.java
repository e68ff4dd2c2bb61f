package io.etcdkit.jackson;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.util.Objects;

/**
 * JSON value codecs through Jackson 2 ({@code com.fasterxml.jackson}). Every codec returned here is immutable
 * and thread-safe, follows the {@link ValueCodec} contract (no nulls; a bad value is a
 * {@link ValueDecodingException}, never garbage) and is named {@code json(TYPE)} in error messages.
 *
 * <pre>{@code
 * ValueCodec<Config> json = JacksonCodecs.json(Config.class);
 * client.kv().put(Bytes.of("config/app"), json.encode(new Config("fast", 3)));
 * Config config = json.decode(client.kv().get("config/app").orElseThrow().value());
 * }</pre>
 *
 * <p>This class lives in the artifact {@code io.etcdkit:etcdkit-jackson} (module {@code io.etcdkit.jackson}) so
 * that the client itself does not depend on Jackson. The codecs are plain {@link ValueCodec}s: everything in
 * etcdkit that takes a codec takes these, and nothing else in etcdkit's API names a Jackson type.
 */
public final class JacksonCodecs {
    private static final ObjectMapper DEFAULT_MAPPER = defaultObjectMapper();

    private JacksonCodecs() {
    }

    /**
     * JSON for {@code type}, with the {@linkplain #defaultObjectMapper() default mapper}. Records are supported.
     *
     * @param type the class of the values
     * @param <T> the type of the values
     * @return a codec named {@code json(TYPE)}
     * @throws NullPointerException if {@code type} is null
     */
    public static <T> ValueCodec<T> json(Class<T> type) {
        return json(type, DEFAULT_MAPPER);
    }

    /**
     * JSON for a generic type such as {@code new TypeReference<List<Member>>() {}}, with the
     * {@linkplain #defaultObjectMapper() default mapper}.
     *
     * @param type the full generic type of the values
     * @param <T> the type of the values
     * @return a codec named {@code json(TYPE)}
     * @throws NullPointerException if {@code type} is null
     */
    public static <T> ValueCodec<T> json(TypeReference<T> type) {
        return json(type, DEFAULT_MAPPER);
    }

    /**
     * JSON for {@code type} with {@code mapper}. The codec takes an immutable reader and writer from the mapper
     * now; configure the mapper (modules, features) before calling this. Whatever the mapper's settings,
     * content after the JSON document is rejected, as is the JSON literal {@code null}. Malformed JSON and JSON
     * that does not fit the type are {@link ValueDecodingException}s whose message gives the location and the
     * JSON path; a value Jackson cannot serialize is an {@link io.etcdkit.InvalidArgumentException}.
     *
     * @param type the class of the values
     * @param mapper the mapper whose settings the codec uses
     * @param <T> the type of the values
     * @return a codec named {@code json(TYPE)}
     * @throws NullPointerException if an argument is null
     */
    public static <T> ValueCodec<T> json(Class<T> type, ObjectMapper mapper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mapper, "mapper");
        return new JsonCodec<>(mapper, mapper.constructType(type));
    }

    /**
     * {@link #json(Class, ObjectMapper)} for a generic type.
     *
     * @param type the full generic type of the values
     * @param mapper the mapper whose settings the codec uses
     * @param <T> the type of the values
     * @return a codec named {@code json(TYPE)}
     * @throws NullPointerException if an argument is null
     */
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
     *
     * @return a new mapper with etcdkit's default settings
     */
    public static ObjectMapper defaultObjectMapper() {
        return JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
