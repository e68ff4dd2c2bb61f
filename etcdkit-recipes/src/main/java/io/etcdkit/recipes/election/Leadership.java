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

    /** Resigns (revision-checked delete; idempotent). */
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
