package io.etcdkit.recipes.barrier;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A barrier: while it is set, {@link #await} blocks; {@link #remove} lets every waiter through. The barrier is one
 * key, {@code etcdkit/barrier/<name>}. Set it through a {@link Session} ({@link #set(Session)}) to tie it to the
 * setter's life: if the setter crashes, its lease expiry removes the barrier and releases the waiters.
 */
public final class Barrier {
    private final EtcdClient client;
    private final String name;
    private final Bytes key;

    private Barrier(EtcdClient client, String name) {
        this.client = client;
        this.name = name;
        this.key = Bytes.of("etcdkit/barrier/" + name);
    }

    /**
     * The barrier {@code name}.
     *
     * @param client the client
     * @param name non-empty
     * @return the barrier (nothing is written until {@link #set})
     * @throws InvalidArgumentException if the name is empty
     */
    public static Barrier of(EtcdClient client, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidArgumentException("a barrier name must be non-empty");
        }
        return new Barrier(Objects.requireNonNull(client, "client"), name);
    }

    /** Sets the barrier until {@link #remove} (it survives the setter). Idempotent. */
    public void set() {
        client.kv().put(key, Bytes.of("set"));
    }

    /**
     * Sets the barrier until {@link #remove} or until {@code session} ends, whichever comes first.
     *
     * @param session the setter's session
     */
    public void set(Session session) {
        session.ensureAlive("setting barrier " + name);
        client.kv().put(io.etcdkit.kv.Put.of(key, Bytes.of("set")).lease(session.leaseId()));
    }

    /** Removes the barrier: every waiter goes through. Idempotent. */
    public void remove() {
        client.kv().delete(key);
    }

    /** {@return whether the barrier is set now} */
    public boolean isSet() {
        return client.kv().exists(key);
    }

    /**
     * Waits until the barrier is not set (returns at once if it is not).
     *
     * @param timeout how long to wait
     * @return true if the barrier is down, false at the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            RangeResult r = client.kv().range(Range.key(key).countOnly());
            if (r.count() == 0) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            CompletableFuture<Void> gone = new CompletableFuture<>();
            Watcher w = client.watches().watch(Watch.key(key).fromRevision(r.revision() + 1).withoutPuts(), e -> {
                if (e instanceof DeleteEvent || e instanceof io.etcdkit.watch.CompactedEvent
                        || e instanceof io.etcdkit.watch.EndedEvent) {
                    gone.complete(null);
                }
            });
            try {
                gone.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // read again: the deadline check decides
            } finally {
                w.close();
            }
        }
    }

    /**
     * Async twin of {@link #set()}.
     *
     * @return a future completed once the barrier is set
     */
    public CompletableFuture<Void> setAsync() {
        return client.kv().putAsync(key, Bytes.of("set")).thenApply(r -> null);
    }

    /**
     * Async twin of {@link #set(Session)}.
     *
     * @param session the setter's session
     * @return a future completed once the barrier is set; failed with
     *     {@link io.etcdkit.recipes.session.SessionExpiredException} when the session has ended
     */
    public CompletableFuture<Void> setAsync(Session session) {
        try {
            session.ensureAlive("setting barrier " + name);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.kv().putAsync(io.etcdkit.kv.Put.of(key, Bytes.of("set")).lease(session.leaseId()))
                .thenApply(r -> null);
    }

    /**
     * Async twin of {@link #remove()}.
     *
     * @return a future completed once the barrier is removed
     */
    public CompletableFuture<Void> removeAsync() {
        return client.kv().deleteAsync(key).thenApply(r -> null);
    }

    /**
     * Async twin of {@link #isSet()}.
     *
     * @return a future completed with whether the barrier is set now
     */
    public CompletableFuture<Boolean> isSetAsync() {
        return client.kv().existsAsync(key);
    }

    /**
     * Async twin of {@link #await(Duration)}: waits without blocking a thread (a read, then a watch for the
     * delete); completes on the client's callback executor with true once the barrier is down, or false at the
     * time-out.
     *
     * @param timeout how long to wait
     * @return a future completed with true if the barrier is down, false at the timeout
     */
    public CompletableFuture<Boolean> awaitAsync(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return awaitUntil(System.nanoTime() + timeout.toNanos());
    }

    private CompletableFuture<Boolean> awaitUntil(long deadline) {
        return client.kv().rangeAsync(Range.key(key).countOnly()).thenCompose(r -> {
            if (r.count() == 0) {
                return CompletableFuture.completedFuture(true);
            }
            if (System.nanoTime() - deadline >= 0) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Void> gone = new CompletableFuture<>();
            Watcher w = client.watches().watch(Watch.key(key).fromRevision(r.revision() + 1).withoutPuts(), e -> {
                if (e instanceof DeleteEvent || e instanceof io.etcdkit.watch.CompactedEvent
                        || e instanceof io.etcdkit.watch.EndedEvent) {
                    gone.complete(null);
                }
            });
            gone.completeOnTimeout(null, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            // read again either way: the deadline check decides
            return gone.thenCompose(x -> {
                w.close();
                return awaitUntil(deadline);
            });
        });
    }

    @Override
    public String toString() {
        return "Barrier[" + name + "]";
    }
}
