package io.etcdkit.recipes.cache;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable, consistent state of a {@link CachedView}: every decoded key as of {@link #revision()}. Reading it
 * never blocks and never changes; the view publishes a new snapshot for every change.
 *
 * @param <T> the value type
 */
public final class CacheSnapshot<T> {
    private final Map<String, CachedEntry<T>> entries;
    private final long revision;
    private volatile Map<String, T> values;

    CacheSnapshot(Map<String, CachedEntry<T>> entries, long revision) {
        this.entries = Collections.unmodifiableMap(entries);
        this.revision = revision;
    }

    /** The etcd revision this snapshot reflects: every change up to it is included, none after it. */
    public long revision() {
        return revision;
    }

    /** The decoded value of {@code key}, empty when absent (or skipped as malformed). */
    public Optional<T> get(String key) {
        CachedEntry<T> e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /** The entry of {@code key} with its revisions, empty when absent. */
    public Optional<CachedEntry<T>> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Every entry by key; unmodifiable. */
    public Map<String, CachedEntry<T>> entries() {
        return entries;
    }

    /** Every decoded value by key; unmodifiable (computed once, on first use). */
    public Map<String, T> asMap() {
        Map<String, T> v = values;
        if (v == null) {
            Map<String, T> m = new LinkedHashMap<>(Math.max(16, entries.size() * 2));
            entries.forEach((k, e) -> m.put(k, e.value()));
            v = Collections.unmodifiableMap(m);
            values = v;
        }
        return v;
    }

    /** The number of keys. */
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "CacheSnapshot{revision=" + revision + ", keys=" + entries.size() + "}";
    }
}
