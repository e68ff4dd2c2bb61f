package io.etcdkit.recipes.cache;

import io.etcdkit.EtcdException;

/**
 * A cache ({@link CachedView}, {@link CachedValue}) was closed while a caller waited for it asynchronously
 * ({@code readyAsync}, {@code awaitRevisionAsync}): what was awaited will never happen through this cache. Open
 * a new cache if the data is still needed.
 */
public class CacheClosedException extends EtcdException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public CacheClosedException(String message) {
        super(message);
    }
}
