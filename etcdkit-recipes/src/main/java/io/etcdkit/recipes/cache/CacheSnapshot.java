package io.etcdkit.recipes.cache;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, consistent state of a {@link CachedView}: every decoded key as of {@link #revision()}. Reading it
 * never blocks and never changes; the view publishes a new snapshot for every revision that changes it, with all
 * the changes of that revision (a multi-key transaction is never half in a snapshot).
 *
 * <p>Lookups ({@link #get}, {@link #entry}, and {@code get}/{@code containsKey} on {@link #entries()} and
 * {@link #asMap()}) are hash lookups; iterating the maps visits every key.
 *
 * @param <T> the value type
 */
public final class CacheSnapshot<T> {
    private final SnapshotMap<CachedEntry<T>> entries;
    private final long revision;
    private final Map<String, T> values;

    CacheSnapshot(SnapshotMap<CachedEntry<T>> entries, long revision) {
        this.entries = entries;
        this.revision = revision;
        this.values = new Values<>(entries);
    }

    static <T> CacheSnapshot<T> empty() {
        return new CacheSnapshot<>(SnapshotMap.empty(), 0);
    }

    SnapshotMap<CachedEntry<T>> map() {
        return entries;
    }

    /**
     * The etcd revision this snapshot reflects: every change up to it is included, none after it.
     *
     * @return the etcd revision this snapshot reflects: every change up to it is included, none after it
     */
    public long revision() {
        return revision;
    }

    /**
     * The decoded value of {@code key}, empty when absent (or skipped as malformed).
     *
     * @param key the key
     * @return the decoded value of {@code key}, empty when absent (or skipped as malformed)
     */
    public Optional<T> get(String key) {
        CachedEntry<T> e = entries.get(key);
        return e == null ? Optional.empty() : Optional.of(e.value());
    }

    /**
     * The entry of {@code key} with its revisions, empty when absent.
     *
     * @param key the key
     * @return the entry of {@code key} with its revisions, empty when absent
     */
    public Optional<CachedEntry<T>> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /**
     * Every entry by key; unmodifiable, in no particular order.
     *
     * @return every entry by key; unmodifiable, in no particular order
     */
    public Map<String, CachedEntry<T>> entries() {
        return entries;
    }

    /**
     * Every decoded value by key; an unmodifiable view of {@link #entries()}, in no particular order.
     *
     * @return every decoded value by key; an unmodifiable view of {@link #entries()}, in no particular order
     */
    public Map<String, T> asMap() {
        return values;
    }

    /**
     * The number of keys.
     *
     * @return the number of keys
     */
    public int size() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "CacheSnapshot{revision=" + revision + ", keys=" + entries.size() + "}";
    }

    /** The values of an entry map, as a read-only view. */
    private static final class Values<T> extends AbstractMap<String, T> {
        private final Map<String, CachedEntry<T>> entries;

        Values(Map<String, CachedEntry<T>> entries) {
            this.entries = entries;
        }

        @Override
        public T get(Object key) {
            CachedEntry<T> e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public boolean containsKey(Object key) {
            return entries.containsKey(key);
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public Set<Map.Entry<String, T>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, T>> iterator() {
                    Iterator<Map.Entry<String, CachedEntry<T>>> it = entries.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Map.Entry<String, T> next() {
                            Map.Entry<String, CachedEntry<T>> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), e.getValue().value());
                        }
                    };
                }

                @Override
                public int size() {
                    return entries.size();
                }
            };
        }
    }
}
