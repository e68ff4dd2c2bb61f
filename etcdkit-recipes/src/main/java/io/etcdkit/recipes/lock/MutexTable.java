package io.etcdkit.recipes.lock;

import io.etcdkit.recipes.session.Session;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The mutexes of one session that are in use: held, or awaited by a thread of this process. A name is entered
 * when a thread starts to take its lock and left when that attempt fails or the hold it gave is released; a name
 * nobody uses is dropped, so a session that locks a million distinct names (a lock per job) keeps only those in
 * use. All bookkeeping for one name runs inside the map's {@code compute} for that name, so "is anyone using it"
 * and "drop it" cannot interleave with a new user: while a name is in use, every {@link Mutex} handle of it acts
 * through one instance, and two instances never queue the same key.
 */
final class MutexTable {
    private final ConcurrentHashMap<String, Mutex> inUse = new ConcurrentHashMap<>();

    /** The table of {@code session}: one per session. */
    static MutexTable of(Session session) {
        return session.recipe(MutexTable.class, s -> new MutexTable());
    }

    /** The instance in use for {@code name}, or null when none is. */
    Mutex current(String name) {
        return inUse.get(name);
    }

    /** The instance in use for {@code name}, or a new unregistered one from {@code create}. */
    Mutex handle(String name, Function<String, Mutex> create) {
        Mutex m = inUse.get(name);
        return m != null ? m : create.apply(name);
    }

    /** Starts a use of {@code name}: the instance in use (or {@code candidate}, which becomes it). */
    Mutex enter(Mutex candidate) {
        return inUse.compute(candidate.name(), (n, current) -> {
            Mutex m = current != null ? current : candidate;
            m.users++;
            return m;
        });
    }

    /** Ends one use of {@code m}; when it was the last, the name is dropped. */
    void leave(Mutex m) {
        inUse.computeIfPresent(m.name(), (n, current) -> {
            if (current != m) {
                return current; // cannot happen: an instance with users is never dropped
            }
            return --m.users == 0 ? null : m;
        });
    }

    /** How many names are in use (for tests). */
    int size() {
        return inUse.size();
    }
}
