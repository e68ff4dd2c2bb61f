package io.etcdkit.recipes.cache;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map from key to value that is cheap to derive a changed copy of: the keys are spread over about
 * √n hash buckets, and a new version shares every bucket it does not change. Deriving a version costs a copy of
 * the bucket array plus one copy per changed bucket, O(√n) instead of the O(n) of copying a whole map, and a
 * lookup is two array/hash steps. (A library persistent map would cost a deeper tree walk on every read, and reads
 * are what a cache is for.)
 *
 * <p>Instances are immutable and safe to share once built; an {@link Editor} is confined to one thread.
 *
 * @param <V> the value type
 */
final class SnapshotMap<V> extends AbstractMap<String, V> {
    private static final int MIN_BUCKETS = 16;
    private static final SnapshotMap<Object> EMPTY = new SnapshotMap<>(newBuckets(MIN_BUCKETS), 0);

    private final HashMap<String, V>[] buckets; // never changed once this map is built
    private final int size;
    private Set<Map.Entry<String, V>> entrySet;

    private SnapshotMap(HashMap<String, V>[] buckets, int size) {
        this.buckets = buckets;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <V> SnapshotMap<V> empty() {
        return (SnapshotMap<V>) EMPTY;
    }

    /** A map of the entries of {@code all}, with a bucket count suited to its size. */
    static <V> SnapshotMap<V> copyOf(Map<String, V> all) {
        HashMap<String, V>[] buckets = newBuckets(bucketsFor(all.size()));
        for (Map.Entry<String, V> e : all.entrySet()) {
            bucket(buckets, e.getKey()).put(e.getKey(), e.getValue());
        }
        return new SnapshotMap<>(buckets, all.size());
    }

    @Override
    public V get(Object key) {
        return key instanceof String k ? bucket(buckets, k).get(k) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String k && bucket(buckets, k).containsKey(k);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Set<Map.Entry<String, V>> entrySet() {
        Set<Map.Entry<String, V>> s = entrySet;
        if (s == null) {
            s = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<String, V>> iterator() {
                    return new Entries();
                }

                @Override
                public int size() {
                    return size;
                }
            };
            entrySet = s;
        }
        return s;
    }

    /** Starts a new version based on this one; this map stays unchanged. */
    Editor<V> edit() {
        return new Editor<>(this);
    }

    /**
     * Collects changes to a base map and builds the new version. Each bucket is copied on its first change only.
     * Not thread-safe; use once: after {@link #build()} start a new editor from the result.
     *
     * @param <V> the value type
     */
    static final class Editor<V> {
        private final SnapshotMap<V> base;
        private HashMap<String, V>[] buckets;
        private boolean[] copied;
        private int size;

        private Editor(SnapshotMap<V> base) {
            this.base = base;
            this.size = base.size;
        }

        /** Sets {@code key} to {@code value}. */
        void put(String key, V value) {
            if (writable(key).put(key, value) == null) {
                size++;
            }
        }

        /** Removes {@code key}; returns its old value, null when absent. */
        V remove(String key) {
            HashMap<String, V>[] b = buckets == null ? base.buckets : buckets;
            if (!bucket(b, key).containsKey(key)) {
                return null;
            }
            size--;
            return writable(key).remove(key);
        }

        /** Whether anything was changed. */
        boolean changed() {
            return buckets != null;
        }

        /** The new version (the base itself when nothing changed); re-bucketed when its size left the range. */
        SnapshotMap<V> build() {
            if (buckets == null) {
                return base;
            }
            SnapshotMap<V> built = new SnapshotMap<>(buckets, size);
            int ideal = bucketsFor(size);
            // Re-bucket only when far off, so the O(n) rebuild is paid at most once per Θ(n) changes.
            if (ideal > buckets.length * 2 || ideal * 2 < buckets.length && buckets.length > MIN_BUCKETS) {
                built = copyOf(built);
            }
            buckets = null;
            copied = null;
            return built;
        }

        private HashMap<String, V> writable(String key) {
            if (buckets == null) {
                buckets = base.buckets.clone();
                copied = new boolean[buckets.length];
            }
            int i = index(buckets.length, key);
            if (!copied[i]) {
                buckets[i] = new HashMap<>(buckets[i]);
                copied[i] = true;
            }
            return buckets[i];
        }
    }

    private final class Entries implements Iterator<Map.Entry<String, V>> {
        private int next;
        private Iterator<Map.Entry<String, V>> current = java.util.Collections.emptyIterator();

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && next < buckets.length) {
                current = buckets[next++].entrySet().iterator();
            }
            return current.hasNext();
        }

        @Override
        public Map.Entry<String, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Map.Entry<String, V> e = current.next();
            return new SimpleImmutableEntry<>(e.getKey(), e.getValue());
        }
    }

    /** A power of two near √n, at least {@value #MIN_BUCKETS}. */
    static int bucketsFor(int n) {
        int b = Integer.highestOneBit(Math.max(1, (int) Math.sqrt(n)));
        return Math.max(MIN_BUCKETS, b);
    }

    private static <V> HashMap<String, V> bucket(HashMap<String, V>[] buckets, String key) {
        return buckets[index(buckets.length, key)];
    }

    private static int index(int length, String key) {
        // Fibonacci hashing takes the bucket from the high bits; HashMap uses the low bits inside the bucket.
        return (key.hashCode() * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(length));
    }

    @SuppressWarnings("unchecked")
    private static <V> HashMap<String, V>[] newBuckets(int n) {
        HashMap<String, V>[] b = new HashMap[n];
        Arrays.setAll(b, i -> new HashMap<>());
        return b;
    }
}
