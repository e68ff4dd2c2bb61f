package io.etcdkit.recipes.lock;

import io.etcdkit.Bytes;
import io.etcdkit.kv.Compare;

/**
 * Proof of holding one permit of a {@link Semaphore}. Closing it releases the permit (idempotent).
 *
 * <p><b>Fencing.</b> Up to the semaphore's limit of holders hold at once, so a token alone does not prove
 * anything exclusive; what it proves is order: tokens grow with every acquisition. Put {@link #guard()} into
 * transactions that must only run while this permit is held: etcd refuses them once the holder's key is gone (a
 * holder paused past its session's TTL, whatever it believes).
 */
public interface Permit extends AutoCloseable {
    /**
     * The holder's key ({@code name/queue/<lease id in hex>}).
     *
     * @return the holder's key ({@code name/queue/<lease id in hex>})
     */
    Bytes key();

    /**
     * The create revision of the holder's key: grows with every acquisition of this semaphore.
     *
     * @return the create revision of the holder's key: grows with every acquisition of this semaphore
     */
    long fencingToken();

    /**
     * A compare that holds only while this permit is held.
     *
     * @return a compare that holds only while this permit is held
     */
    Compare guard();

    /**
     * Releases the permit (deletes this holder's key). If etcd cannot be reached, the error is thrown and the delete
     * goes on in the background until it succeeds or the session ends; this session's next acquisition waits for
     * it, within its own timeout.
     */
    @Override
    void close();
}
