package io.etcdkit.recipes.election;

import io.etcdkit.kv.Compare;
import java.util.concurrent.CompletableFuture;

/**
 * Proof of leading an election, from {@link LeaderElection#campaign}. Closing it resigns (idempotent).
 * {@link #guard()} goes into transactions that only the leader may apply, exactly like a lock's guard.
 */
public interface Leadership extends AutoCloseable {
    /**
     * The leadership as stored (key, value, revision).
     *
     * @return the leadership as stored (key, value, revision)
     */
    Leader leader();

    /**
     * The leadership's epoch: its key's create revision, growing with each new leadership.
     *
     * @return the leadership's epoch: its key's create revision, growing with each new leadership
     */
    long epoch();

    /**
     * A compare that holds only while this leadership lasts.
     *
     * @return a compare that holds only while this leadership lasts
     */
    Compare guard();

    /**
     * Proclaims a new value (revision-checked).
     *
     * @param value the value
     */
    void proclaim(String value);

    /**
     * Asynchronous form of {@link #proclaim(String)}: completes on the client's callback executor, exceptionally
     * with {@link NotLeaderException} when the leadership has ended.
     *
     * @param value the value
     * @return completes when the value is stored
     */
    CompletableFuture<Void> proclaimAsync(String value);

    /**
     * Resigns: deletes the leader's key if it is still this leadership's (revision-checked; idempotent), and frees
     * the election instance for the session's next campaign.
     *
     * <p><b>When it fails</b> (etcd cannot be reached, or the outcome of the delete is unknown) the exception is
     * thrown and the leadership <em>stays held</em>: the key stays in etcd while the session lives, so the other
     * candidates keep waiting, and this election instance's next {@code campaign} on the same session waits for
     * this leadership to end. Call {@code resign()} again until it returns, or close the session (its lease
     * takes the key with it), as with {@code Mutex.unlock()}.
     *
     * @throws io.etcdkit.EtcdException when the key could not be deleted; the leadership stays held (call again)
     */
    void resign();

    /**
     * Asynchronous form of {@link #resign()}: completes on the client's callback executor.
     *
     * @return completes when the leadership is given up (or had ended already)
     */
    CompletableFuture<Void> resignAsync();

    /** Resigns. */
    @Override
    void close();
}
