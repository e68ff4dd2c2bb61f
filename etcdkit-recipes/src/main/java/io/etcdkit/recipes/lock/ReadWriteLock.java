package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.recipes.session.Session;
import java.util.Objects;

/**
 * A fair distributed read-write lock: many readers or one writer, served in arrival order so that writers are
 * never starved, each hold lasting at most as long as its {@link Session}.
 *
 * <pre>{@code
 * ReadWriteLock rw = ReadWriteLock.of(session, "catalog");
 * try (HeldLock read = rw.readLock().lock()) {
 *     ... read the catalog; other readers may be here too ...
 * }
 * try (HeldLock write = rw.writeLock().lock(Duration.ofSeconds(5))) {
 *     client.kv().commit(Transaction.when(write.guard()).then(Put.of("catalog/version", "8")));
 * }
 * }</pre>
 *
 * <p><b>Layout.</b> A reader's key is {@code name/read/<lease id in hex>}, a writer's {@code name/write/<lease id in
 * hex>}, both attached to the session's lease, and one line is formed by their create revisions across both kinds.
 * A reader holds once no <em>writer</em> key created before its own is left (it waits on the last such writer);
 * a writer holds once no key of <em>either</em> kind created before its own is left (it waits on the last such
 * key). So readers share, a writer is alone, and a reader that arrives after a waiting writer queues behind it:
 * a stream of readers cannot starve writers. This is the layout of etcd's Go recipe
 * ({@code recipe.NewRWMutex(session, "name/")}); since only the revision order matters, the two are designed to
 * exclude each other. Use a name for nothing else: a {@link Mutex} of the same name would queue in the same keys.
 *
 * <p><b>Fencing.</b> A {@link HeldLock}'s token is its key's create revision, which grows with every acquisition
 * of either kind; its {@link HeldLock#guard() guard} holds while the hold lasts — for a writer that means no
 * reader or other writer holds, for a reader that no writer holds.
 *
 * <p><b>Threads and re-entrancy.</b> As for {@link Mutex}: one instance per session and name while it is in use
 * ({@link #of} returns the same one while anything refers to it; a name nobody uses costs nothing once its handle
 * is dropped, so locks whose names are data do not add up); each side is held at most once per session, threads of the session take turns (fairly), and a
 * thread that holds a side and asks for it again gets an {@link IllegalStateException}. A thread that holds one
 * side and asks for the other also gets one: there is no upgrade or downgrade (the request would wait for its
 * own key) — unlock first. Readers in different sessions share the lock; for several concurrent readers in one
 * process, give each its own session, or share one {@link HeldLock}. Any thread may unlock.
 *
 * <p><b>Observing.</b> The client's listener ({@link io.etcdkit.EtcdClient#listener()}) hears the read side as
 * {@code name/read} and the write side as {@code name/write}, so their wait and hold times stay apart.
 *
 * <p><b>Failures.</b> See {@link DistributedLock}: time-outs and interrupts remove the waiter's key; unlock is
 * revision-checked and idempotent; everything is released when the session ends (a crashed holder's hold within
 * the session's TTL).
 */
public final class ReadWriteLock {
    private final String name;
    private final QueuedLock read;
    private final QueuedLock write;

    private ReadWriteLock(Session session, String name) {
        this.name = name;
        Bytes all = Bytes.of(name + "/");
        Bytes writers = Bytes.of(name + "/write/");
        // Each side refers back to this instance (its onFree), so while a side is held or awaited the instance is
        // reachable and of(..) keeps returning it (see LiveInstances).
        this.read = new QueuedLock(session, name, name + "/read", "the read lock '" + name + "'",
                Bytes.of(name + "/read/"), writers, this::sideReleased);
        this.write = new QueuedLock(session, name, name + "/write", "the write lock '" + name + "'", writers, all,
                this::sideReleased);
        read.excludeHoldersOf(write);
        write.excludeHoldersOf(read);
    }

    /**
     * The read-write lock named {@code name} for this session: the instance in use while anything refers to it (a
     * handle, a hold, a waiter), else a new one, which costs nothing to keep or drop.
     *
     * @param session the session to hold it with
     * @param name the name
     * @return the read-write lock named {@code name} for this session
     * @throws InvalidArgumentException when the name is null or empty
     */
    public static ReadWriteLock of(Session session, String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new InvalidArgumentException("a read-write lock needs a non-empty name, e.g. \"locks/catalog\"");
        }
        return LiveInstances.<ReadWriteLock>of(session, "read-write lock").get(name,
                n -> new ReadWriteLock(session, n));
    }

    /** How many read-write lock instances the session keeps (those still referred to); for tests. */
    static int liveInstances(Session session) {
        return LiveInstances.<ReadWriteLock>of(session, "read-write lock").size();
    }

    /** A side's hold was released: nothing to do (the reference is what matters; see the constructor). */
    private void sideReleased() {
    }

    /**
     * The lock's name.
     *
     * @return the lock's name
     */
    public String name() {
        return name;
    }

    /**
     * The shared side: held together with other sessions' read locks, never with a write lock.
     *
     * @return the shared side: held together with other sessions' read locks, never with a write lock
     */
    public DistributedLock readLock() {
        return read;
    }

    /**
     * The exclusive side: held by one session at a time, and never together with a read lock.
     *
     * @return the exclusive side: held by one session at a time, and never together with a read lock
     */
    public DistributedLock writeLock() {
        return write;
    }

    @Override
    public String toString() {
        return "ReadWriteLock[" + name + ": " + read + ", " + write + "]";
    }
}
