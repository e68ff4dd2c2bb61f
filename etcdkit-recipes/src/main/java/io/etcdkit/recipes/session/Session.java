package io.etcdkit.recipes.session;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.lease.LeaseState;
import io.etcdkit.lease.LeaseStateChange;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A lease kept alive for as long as this process wants it: the liveness that locks, elections, semaphores and
 * registrations hang on. Keys written through a session vanish when it ends.
 *
 * <pre>{@code
 * try (Session session = Session.open(client, Duration.ofSeconds(10))) {
 *     session.addListener((was, now, why) -> log.info("session {} -> {}: {}", was, now, why));
 *     ...
 * }
 * }</pre>
 *
 * <p><b>States.</b> {@link SessionState#CONNECTED} while renewals are answered in time;
 * {@link SessionState#SUSPENDED} as soon as the lease's conservative deadline — the send time of the last
 * answered keep-alive plus the TTL — is less than a third of the TTL away, which is before the server can expire
 * it; {@link SessionState#EXPIRED} when the lease is gone; {@link SessionState#CLOSED} after {@link #close()}.
 * EXPIRED and CLOSED are final.
 *
 * <p><b>Close</b> revokes the lease, so everything held through the session is released at once. Thread-safe.
 */
public final class Session implements AutoCloseable {
    private final EtcdClient client;
    private final KeepAlive keepAlive;
    private final CopyOnWriteArrayList<SessionListener> listeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<SessionState> ended = new CompletableFuture<>();
    private final Map<Object, Object> recipes = new ConcurrentHashMap<>();
    private volatile SessionState state = SessionState.CONNECTED;
    private volatile String lastReason = "session opened";
    private volatile boolean closing;

    private Session(EtcdClient client, KeepAlive keepAlive) {
        this.client = client;
        this.keepAlive = keepAlive;
    }

    /**
     * Grants a lease of {@code ttl} and keeps it alive. Blocks until the first renewal succeeded. A TTL below
     * etcd's minimum (about 2 s with default settings) is raised by the server; see {@link #ttl()}.
     *
     * @param client the client to use
     * @param ttl the time to live
     * @return a {@code Session} that grants a lease of {@code ttl} and keeps it alive
     */
    public static Session open(EtcdClient client, Duration ttl) {
        checkTtl(client, ttl);
        return started(client, client.leases().grantAndKeepAlive(ttl));
    }

    /**
     * Async twin of {@link #open(EtcdClient, Duration)}: grants the lease and starts keeping it alive without
     * blocking a thread. The future completes on the client's callback executor once the first renewal
     * succeeded, or fails with the grant's typed {@link io.etcdkit.EtcdException} (an
     * {@link io.etcdkit.OutcomeUnknownException} when the grant may have been applied: the lease then expires
     * within its TTL).
     *
     * @param client the client to use
     * @param ttl the time to live
     * @return a future completed with the open session
     * @throws InvalidArgumentException when {@code ttl} is not positive
     */
    public static CompletableFuture<Session> openAsync(EtcdClient client, Duration ttl) {
        checkTtl(client, ttl);
        return client.leases().grantAndKeepAliveAsync(ttl).thenApply(k -> started(client, k));
    }

    /**
     * Async twin of {@link #open(EtcdClient)}: a session with a 10-second TTL.
     *
     * @param client the client to use
     * @return a future completed with the open session
     */
    public static CompletableFuture<Session> openAsync(EtcdClient client) {
        return openAsync(client, Duration.ofSeconds(10));
    }

    private static void checkTtl(EtcdClient client, Duration ttl) {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidArgumentException("a session TTL must be positive, got " + ttl);
        }
    }

    private static Session started(EtcdClient client, KeepAlive k) {
        Session s = new Session(client, k);
        // The handle first reports its current state, then every change: nothing between grant and here is lost.
        k.addListener(s::onLeaseChange);
        return s;
    }

    /**
     * Opens a session with a 10-second TTL.
     *
     * @param client the client to use
     * @return a {@code Session} that opens a session with a 10-second TTL
     */
    public static Session open(EtcdClient client) {
        return open(client, Duration.ofSeconds(10));
    }

    /**
     * Adopts an existing lease (e.g. one granted by another process that handed it over) and keeps it alive. A
     * lease that does not exist is an {@link io.etcdkit.LeaseNotFoundException}.
     *
     * @param client the client to use
     * @param leaseId the lease id
     * @return a {@code Session} that adopts an existing lease (e.g
     */
    public static Session adopt(EtcdClient client, long leaseId) {
        return started(client, client.leases().keepAlive(leaseId));
    }

    /**
     * Async twin of {@link #adopt(EtcdClient, long)}: completes on the client's callback executor once keeping
     * the lease alive has started; a lease that does not exist fails it with
     * {@link io.etcdkit.LeaseNotFoundException}.
     *
     * @param client the client to use
     * @param leaseId the lease id
     * @return a future completed with the session
     */
    public static CompletableFuture<Session> adoptAsync(EtcdClient client, long leaseId) {
        Objects.requireNonNull(client, "client");
        return client.leases().keepAliveAsync(leaseId).thenApply(k -> started(client, k));
    }

    private void onLeaseChange(LeaseStateChange change) {
        SessionState next = switch (change.current()) {
            case ALIVE -> SessionState.CONNECTED;
            case AT_RISK -> SessionState.SUSPENDED;
            case EXPIRED -> SessionState.EXPIRED;
            // Revoked by someone other than close(): for the session's owner the lease is lost.
            case REVOKED -> closing ? SessionState.CLOSED : SessionState.EXPIRED;
            case CLOSED -> SessionState.CLOSED;
        };
        SessionState previous;
        synchronized (this) {
            previous = state;
            if (previous.isTerminal() || previous == next) {
                return;
            }
            state = next;
            lastReason = change.reason();
        }
        for (SessionListener l : listeners) {
            l.stateChanged(previous, next, change.reason());
        }
        if (next.isTerminal()) {
            ended.complete(next);
        }
    }

    /**
     * The client this session belongs to.
     *
     * @return the client this session belongs to
     */
    public EtcdClient client() {
        return client;
    }

    /**
     * The lease id; keys written under it vanish when the session ends.
     *
     * @return the lease id; keys written under it vanish when the session ends
     */
    public long leaseId() {
        return keepAlive.id();
    }

    /**
     * The TTL the server granted.
     *
     * @return the TTL the server granted
     */
    public Duration ttl() {
        return keepAlive.ttl();
    }

    /**
     * The current state.
     *
     * @return the current state
     */
    public SessionState state() {
        return state;
    }

    /**
     * Whether the session is {@link SessionState#CONNECTED}.
     *
     * @return whether the session is {@link SessionState#CONNECTED}
     */
    public boolean isConnected() {
        return state == SessionState.CONNECTED;
    }

    /**
     * Time until the lease's conservative deadline; zero when ended.
     *
     * @return the time until the lease's conservative deadline, zero when ended
     */
    public Duration remaining() {
        return state.isTerminal() ? Duration.ZERO : keepAlive.remaining();
    }

    /**
     * Registers a listener; it is told the current state first (with {@code previous == current}, on the calling
     * thread), then every change (on the client's callback executor).
     *
     * @param listener the listener to call
     */
    public void addListener(SessionListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        SessionState now = state;
        listener.stateChanged(now, now, lastReason);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener to call
     */
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    /**
     * Completes with {@link SessionState#EXPIRED} or {@link SessionState#CLOSED} when the session ends.
     *
     * @return a future completed with the result, or exceptionally with the failure
     */
    public CompletableFuture<SessionState> ended() {
        return ended.copy();
    }

    /**
     * Throws {@link SessionExpiredException} when the session has ended; recipes call this before trusting
     * anything held through the session.
     *
     * @param what the what
     */
    public void ensureAlive(String what) {
        SessionState s = state;
        if (s.isTerminal()) {
            throw new SessionExpiredException(what + ": the session (lease " + Long.toHexString(leaseId())
                    + ") is " + s + " (" + lastReason + "); open a new session");
        }
    }

    /**
     * The one recipe object of this session for {@code key}, created on first use. Recipes that map to one etcd
     * key per session (a mutex, an election candidacy) share their instance so two objects never fight over
     * the same key.
     *
     * @param <T> the type of the values
     * @param key the key
     * @param factory the factory
     * @return the one recipe object of this session for {@code key}, created on first use
     */
    @SuppressWarnings("unchecked")
    public <T> T recipe(Object key, Function<Session, T> factory) {
        return (T) recipes.computeIfAbsent(key, k -> factory.apply(this));
    }

    /**
     * Ends the session: revokes the lease so its keys vanish at once. Idempotent. If the cluster cannot be reached
     * the lease is left to expire within its TTL and the session is still {@link SessionState#CLOSED}.
     */
    @Override
    public void close() {
        if (state.isTerminal() && keepAlive.state().isTerminal()) {
            return;
        }
        closing = true;
        try {
            keepAlive.revoke();
        } catch (RuntimeException e) {
            keepAlive.close();
        } finally {
            onLeaseChange(new LeaseStateChange(leaseId(), LeaseState.ALIVE, LeaseState.CLOSED, "session closed"));
        }
    }

    /**
     * Async twin of {@link #close()}: revokes the lease without blocking a thread. Completes (never exceptionally)
     * on the client's callback executor when the session is {@link SessionState#CLOSED}; if the cluster cannot be
     * reached the lease is left to expire within its TTL. Idempotent.
     *
     * @return a future completed once the session is closed
     */
    public CompletableFuture<Void> closeAsync() {
        if (state.isTerminal() && keepAlive.state().isTerminal()) {
            return CompletableFuture.completedFuture(null);
        }
        closing = true;
        CompletableFuture<Void> revoked;
        try {
            revoked = keepAlive.revokeAsync();
        } catch (RuntimeException e) {
            revoked = CompletableFuture.failedFuture(e);
        }
        return revoked.handle((v, e) -> {
            if (e != null) {
                keepAlive.close();
            }
            onLeaseChange(new LeaseStateChange(leaseId(), LeaseState.ALIVE, LeaseState.CLOSED, "session closed"));
            return null;
        });
    }

    @Override
    public String toString() {
        return "Session[lease " + Long.toHexString(leaseId()) + ", " + state + "]";
    }
}
