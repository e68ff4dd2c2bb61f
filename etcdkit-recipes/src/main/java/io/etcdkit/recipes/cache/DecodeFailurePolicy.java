package io.etcdkit.recipes.cache;

/**
 * What a cache does with a key whose stored bytes its codec cannot decode. Either way the failure is reported to
 * the listeners ({@link CacheListener#onDecodeFailure}) and the cache keeps working.
 */
public enum DecodeFailurePolicy {
    /** The key is treated as absent: it leaves the view (a {@link CachedValue} falls back to its default). */
    SKIP,
    /** The key keeps its last good decoded value, if it had one; a key that never decoded stays absent. */
    KEEP_LAST_GOOD
}
