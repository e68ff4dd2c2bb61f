package io.etcdkit.recipes.cache;

/**
 * One decoded key of a {@link CachedView}, with the metadata needed for a compare-and-set. Immutable.
 *
 * @param key the key (UTF-8, as seen by the client, i.e. relative to a namespaced client's namespace)
 * @param value the decoded value, never null
 * @param createRevision the revision that created the key
 * @param modRevision the revision of the last change; pass it to {@link CachedView#compareAndSet}
 * @param version the number of changes since creation
 * @param <T> the value type
 */
public record CachedEntry<T>(String key, T value, long createRevision, long modRevision, long version) {
}
