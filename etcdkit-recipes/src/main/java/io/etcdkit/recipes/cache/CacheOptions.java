package io.etcdkit.recipes.cache;

import io.etcdkit.InvalidArgumentException;
import java.util.Objects;

/**
 * Options of a {@link CachedView} or {@link CachedValue}. Immutable; each setter returns a new instance.
 *
 * <pre>{@code
 * CachedView.builder(client, "config/", codec)
         .options(CacheOptions.defaults().onDecodeFailure(DecodeFailurePolicy.KEEP_LAST_GOOD))
         .open();
 * }</pre>
 */
public final class CacheOptions {
    private static final CacheOptions DEFAULTS = new CacheOptions(DecodeFailurePolicy.SKIP, 1000, 1024);

    private final DecodeFailurePolicy decodeFailurePolicy;
    private final int pageSize;
    private final int bufferSize;

    private CacheOptions(DecodeFailurePolicy decodeFailurePolicy, int pageSize, int bufferSize) {
        this.decodeFailurePolicy = decodeFailurePolicy;
        this.pageSize = pageSize;
        this.bufferSize = bufferSize;
    }

    /**
     * The defaults: {@link DecodeFailurePolicy#SKIP}, snapshot pages of 1000 keys, a buffer of 1024 events.
     *
     * @return the defaults: {@link DecodeFailurePolicy#SKIP}, snapshot pages of 1000 keys, a buffer of 1024 events
     */
    public static CacheOptions defaults() {
        return DEFAULTS;
    }

    /**
     * What to do with a value the codec cannot decode (default {@link DecodeFailurePolicy#SKIP}).
     *
     * @param policy the policy
     * @return what to do with a value the codec cannot decode (default {@link DecodeFailurePolicy#SKIP})
     */
    public CacheOptions onDecodeFailure(DecodeFailurePolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return new CacheOptions(policy, pageSize, bufferSize);
    }

    /**
     * Keys per page when the snapshot is read (default 1000); must be at least 1.
     *
     * @param keys the keys
     * @return keys per page when the snapshot is read (default 1000); must be at least 1
     */
    public CacheOptions pageSize(int keys) {
        if (keys < 1) {
            throw new InvalidArgumentException("pageSize must be at least 1, got " + keys);
        }
        return new CacheOptions(decodeFailurePolicy, keys, bufferSize);
    }

    /**
     * Events held for a slow view (slow listeners) before the server-side watch pauses until it catches up
     * (default 1024; see {@link io.etcdkit.watch.Subscribe#bufferSize(int)}). Nothing is lost either way.
     *
     * @param events the events
     * @return a {@code CacheOptions} that events held for a slow view (slow listeners) before the server-side watch pauses until it catches up (default 1024; see {@link io.etcdkit.watch.Subscribe#bufferSize(int)})
     */
    public CacheOptions bufferSize(int events) {
        if (events < 1) {
            throw new InvalidArgumentException("bufferSize must be at least 1, got " + events);
        }
        return new CacheOptions(decodeFailurePolicy, pageSize, events);
    }

    /**
     * The buffer size in events.
     *
     * @return the buffer size in events
     */
    public int bufferEvents() {
        return bufferSize;
    }

    /**
     * The decode-failure policy.
     *
     * @return the decode-failure policy
     */
    public DecodeFailurePolicy decodeFailurePolicy() {
        return decodeFailurePolicy;
    }

    /**
     * Keys per snapshot page.
     *
     * @return keys per snapshot page
     */
    public int pageKeys() {
        return pageSize;
    }
}
