package io.etcdkit.recipes.registry;

import io.etcdkit.InvalidArgumentException;
import java.util.Map;
import java.util.Objects;

/**
 * One instance of a service, stored as JSON at {@code <root><service name>/<id>}. Immutable.
 *
 * @param id unique among the instances of one service; non-empty, without {@code /}
 * @param address where to reach the instance (for example {@code host:port}); non-null
 * @param metadata free-form attributes (version, zone, ...); null is taken as empty; copied, neither keys nor
 *     values may be null
 */
public record ServiceInstance(String id, String address, Map<String, String> metadata) {
    /**
     * Validates and copies.
     *
     * @param id the instance id
     * @param address the address
     * @param metadata the metadata
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
     * An instance without metadata.
     *
     * @param id the instance id
     * @param address the address
     * @return an instance without metadata
     */
    public static ServiceInstance of(String id, String address) {
        return new ServiceInstance(id, address, Map.of());
    }
}
