package io.etcdkit.recipes.publish;

import io.etcdkit.InvalidArgumentException;
import java.util.Objects;

/**
 * One key and value to publish. Immutable.
 *
 * @param key the etcd key (UTF-8, as given to the client, so relative to a namespaced client's namespace);
 *     non-empty
 * @param value the value, encoded by the publisher's codec; non-null
 * @param <T> the value type
 */
public record Entry<T>(String key, T value) {
    /**
     * Validates the components.
     *
     * @param key the key
     * @param value the value
     */
    public Entry {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new InvalidArgumentException("an entry needs a non-empty key, got " + (key == null ? "null" : "''"));
        }
        Objects.requireNonNull(value, () -> "value (of the entry for key '" + key + "'): etcd has no null values; "
                + "publish a delete-marker value of your own or leave the key out");
    }

    /**
     * An entry of {@code key} and {@code value}.
     *
     * @param <T> the type of the values
     * @param key the key
     * @param value the value
     * @return an entry of {@code key} and {@code value}
     */
    public static <T> Entry<T> of(String key, T value) {
        return new Entry<>(key, value);
    }
}
