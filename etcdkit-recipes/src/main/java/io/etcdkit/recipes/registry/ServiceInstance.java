package io.etcdkit.recipes.registry;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One instance of a service, stored as JSON at {@code <root><service name>/<id>}. Immutable.
 *
 * <p><b>Typed payload.</b> Besides the string {@code metadata}, an instance may carry one payload of any type,
 * encoded by a {@link ValueCodec} (the same codecs as the rest of the library, for example
 * {@code JacksonCodecs.json(MyPayload.class)}), like Curator's {@code ServiceInstance<T>}: register
 * {@code ServiceInstance.of(id, address).withPayload(value, codec)}, discover with the same codec
 * ({@link ServiceRegistry#lookup(String, ValueCodec)}, {@link ServiceRegistry#watch(String, ValueCodec)}, which
 * skip and report instances whose payload that codec cannot read) and read it with {@link #payload(ValueCodec)}.
 * The payload is kept here as the codec's bytes, so equality compares bytes.
 *
 * @param id unique among the instances of one service; non-empty, without {@code /}
 * @param address where to reach the instance (for example {@code host:port}); non-null
 * @param metadata free-form attributes (version, zone, ...); null is taken as empty; copied, neither keys nor
 *     values may be null
 * @param payload the encoded payload, or null when the instance has none
 */
public record ServiceInstance(String id, String address, Map<String, String> metadata, Bytes payload) {
    /**
     * Validates and copies.
     *
     * @param id the instance id
     * @param address the address
     * @param metadata the metadata
     * @param payload the encoded payload, or null for none
     */
    public ServiceInstance {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty() || id.indexOf('/') >= 0) {
            throw new InvalidArgumentException("an instance id must be non-empty and contain no '/', got " + id);
        }
        Objects.requireNonNull(address, "address");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /**
     * An instance without payload.
     *
     * @param id the instance id
     * @param address the address
     * @param metadata the metadata (null is taken as empty)
     */
    public ServiceInstance(String id, String address, Map<String, String> metadata) {
        this(id, address, metadata, null);
    }

    /**
     * An instance without metadata or payload.
     *
     * @param id the instance id
     * @param address the address
     * @return an instance without metadata or payload
     */
    public static ServiceInstance of(String id, String address) {
        return new ServiceInstance(id, address, Map.of(), null);
    }

    /**
     * A copy of this instance with {@code value} as its payload, encoded now by {@code codec}. Discover it with
     * the same codec.
     *
     * @param value the payload; non-null
     * @param codec how to encode it; non-null
     * @param <T> the payload's type
     * @return a copy with the encoded payload
     * @throws RuntimeException whatever {@code codec} throws when it cannot encode {@code value}
     */
    public <T> ServiceInstance withPayload(T value, ValueCodec<T> codec) {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(codec, "codec");
        return new ServiceInstance(id, address, metadata, codec.encode(value));
    }

    /**
     * Whether this instance carries a payload.
     *
     * @return whether this instance carries a payload
     */
    public boolean hasPayload() {
        return payload != null;
    }

    /**
     * The payload decoded by {@code codec}; empty when the instance has none (for example one registered
     * without a payload, or by an older version). Instances from {@link ServiceRegistry#lookup(String, ValueCodec)}
     * and {@link ServiceRegistry#watch(String, ValueCodec)} were already checked with their codec, so with the
     * same codec this does not throw.
     *
     * @param codec how to decode the payload; non-null
     * @param <T> the payload's type
     * @return the decoded payload, or empty when there is none
     * @throws ValueDecodingException if {@code codec} cannot read the payload (another codec, or a payload of
     *     another type registered under the same service)
     */
    public <T> Optional<T> payload(ValueCodec<T> codec) {
        Objects.requireNonNull(codec, "codec");
        if (payload == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(codec.decode(payload));
        } catch (RuntimeException e) {
            throw new ValueDecodingException(codec.toString(), "the payload of service instance " + id
                    + " cannot be read with " + codec + " (was it registered with another codec?): "
                    + e.getMessage(), e);
        }
    }
}
