package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.kv.Compare;

/**
 * Proof of holding a lock, with its fencing token. Closing it unlocks (idempotent).
 *
 * <p><b>Fencing.</b> A lock alone cannot stop a holder that was paused (GC, swap) past its session's TTL from
 * writing after someone else got the lock. Put {@link #guard()} into every transaction that writes what the lock
 * protects: etcd then refuses the write once this holder's key is gone, whatever the holder believes. Systems
 * outside etcd can compare {@link #fencingToken()}: tokens only grow.
 */
public interface HeldLock extends AutoCloseable {
    /**
     * The lock's key for this holder ({@code name/<lease id in hex>}).
     *
     * @return the lock's key for this holder ({@code name/<lease id in hex>})
     */
    Bytes key();

    /**
     * The create revision of the holder's key: grows with every acquisition of this lock.
     *
     * @return the create revision of the holder's key: grows with every acquisition of this lock
     */
    long fencingToken();

    /**
     * A compare that holds only while this holder still holds the lock.
     *
     * @return a compare that holds only while this holder still holds the lock
     */
    Compare guard();

    /**
     * Unlocks: deletes this holder's key (only while it is still this hold's), so the next in line gets the lock.
     * If etcd cannot be reached, the error is thrown and the delete goes on in the background, with pauses, until it
     * succeeds or the session ends (its lease then takes the key): the caller is done with the hold either way, and
     * this session's next acquisition of the lock waits for that delete, within its own timeout.
     */
    @Override
    void close();
}
