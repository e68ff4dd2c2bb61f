package io.etcdkit.recipes.lock;

import io.etcdkit.recipes.session.Session;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The recipe objects of one kind (semaphores, read-write locks) that one session still uses, by name: while an
 * instance is reachable — held by the caller, or by a hold or a waiter of it — every {@code of(session, name)}
 * returns it, so two instances never queue the same key; once nothing refers to it, it is dropped, so a session
 * that uses a million distinct names (one per job) keeps only those in use. A held or awaited instance is always
 * reachable: its holds release through it and its waiters run in it. Entries of collected instances are removed
 * on the next look-up.
 *
 * @param <T> the kind of recipe object
 */
final class LiveInstances<T> {
    private final ConcurrentHashMap<String, Ref<T>> byName = new ConcurrentHashMap<>();
    private final ReferenceQueue<T> collected = new ReferenceQueue<>();

    private record Kind(String kind) {
    }

    private static final class Ref<T> extends WeakReference<T> {
        final String name;

        Ref(String name, T value, ReferenceQueue<T> queue) {
            super(value, queue);
            this.name = name;
        }
    }

    /** The table of {@code kind} for {@code session}: one per session and kind. */
    static <T> LiveInstances<T> of(Session session, String kind) {
        return session.recipe(new Kind(kind), s -> new LiveInstances<>());
    }

    /** The live instance named {@code name}, or a new one from {@code create} (which must not call etcd). */
    T get(String name, Function<String, T> create) {
        dropCollected();
        while (true) {
            Ref<T> ref = byName.get(name);
            T live = ref == null ? null : ref.get();
            if (live != null) {
                return live;
            }
            T fresh = create.apply(name);
            Ref<T> mine = new Ref<>(name, fresh, collected);
            if (ref == null ? byName.putIfAbsent(name, mine) == null : byName.replace(name, ref, mine)) {
                return fresh;
            }
        }
    }

    /** How many names have an entry (after dropping those of collected instances); for tests. */
    int size() {
        dropCollected();
        return byName.size();
    }

    @SuppressWarnings("unchecked")
    private void dropCollected() {
        for (Ref<T> r; (r = (Ref<T>) collected.poll()) != null; ) {
            byName.remove(r.name, r);
        }
    }
}
