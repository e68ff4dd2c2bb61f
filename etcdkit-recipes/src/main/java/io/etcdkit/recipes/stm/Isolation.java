package io.etcdkit.recipes.stm;

/**
 * How an {@link Stm} transaction's reads see the store and what its commit checks, from strongest to weakest.
 * The levels and their names follow etcd's Go {@code concurrency.STM}.
 *
 * <p>Whatever the level, an attempt's writes are applied together in one etcd transaction or not at all, and a
 * key read after being written in the same attempt returns the written value.
 */
public enum Isolation {
    /**
     * Reads see one consistent snapshot: the store at the revision of the attempt's first read. The commit
     * succeeds only if no key that was read has changed since, <b>and</b> no key that is written has changed
     * after the snapshot revision, even a key written without being read. So two transactions that write the
     * same key never both commit on the same snapshot. (An attempt that reads nothing has no snapshot, so its
     * writes are not checked.) The default.
     */
    SERIALIZABLE_SNAPSHOT,

    /**
     * Reads see one consistent snapshot, as with {@link #SERIALIZABLE_SNAPSHOT}; the commit checks only the keys
     * that were read. A key written without being read (a blind write) overwrites whatever another writer put
     * there meanwhile.
     */
    SERIALIZABLE,

    /**
     * Each key is read at the latest revision the first time the attempt reads it, then the same value is
     * returned for the rest of the attempt. Different keys may come from different revisions, so an attempt can
     * see a mix no single moment had; such an attempt never commits (the commit checks that every key read is
     * unchanged), but the function must not give up (throw) because of what it saw, or that ends the run
     * instead of re-running. Blind writes are not checked.
     */
    REPEATABLE_READ,

    /**
     * Every read returns the latest committed value (nothing is cached: reading a key twice may give two
     * values), and the commit checks nothing: it always succeeds and the function never re-runs. The writes are
     * still atomic, but they may be based on values that changed before the commit, so concurrent
     * read-modify-write transactions lose updates. Use it only for atomic multi-key writes that do not depend on
     * what was read.
     */
    READ_COMMITTED
}
