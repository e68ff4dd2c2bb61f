package io.etcdkit.internal.lease;

import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.internal.Futures;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.lease.LeaseListener;
import io.etcdkit.lease.LeaseState;
import io.etcdkit.lease.LeaseStateChange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A handle on a lease kept alive by the {@link KeepAliveEngine}. Its state and listeners are changed only under
 * the engine's lock; notifications run on the callback executor through the handle's {@link SerialQueue}.
 */
final class DefaultKeepAlive implements KeepAlive {
    private final long id;
    private final KeepAliveEngine engine;
    private final DefaultLeases leases;
    private final SerialQueue notifications;
    private final CompletableFuture<LeaseState> terminated = new CompletableFuture<>();
    /** Guarded by the engine's lock. */
    private final List<LeaseListener> listeners = new ArrayList<>(2);
    /** Written under the engine's lock. */
    private volatile LeaseState state = LeaseState.ALIVE;
    /** The engine's record of the lease; set under the engine's lock when registered. */
    volatile KeepAliveEngine.Entry entry;

    DefaultKeepAlive(long id, KeepAliveEngine engine, DefaultLeases leases, Executor callbackExecutor) {
        this.id = id;
        this.engine = engine;
        this.leases = leases;
        this.notifications = new SerialQueue(callbackExecutor);
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public LeaseState state() {
        return state;
    }

    @Override
    public Duration ttl() {
        KeepAliveEngine.Entry e = entry;
        return e == null ? Duration.ZERO : Duration.ofNanos(e.ttlNanos);
    }

    @Override
    public Duration remaining() {
        KeepAliveEngine.Entry e = entry;
        if (e == null || state.isTerminal()) {
            return Duration.ZERO;
        }
        long left = e.confirmedSentAt + e.ttlNanos - engine.ticker().nanoTime();
        return left <= 0 ? Duration.ZERO : Duration.ofNanos(left);
    }

    @Override
    public Optional<EtcdException> lastError() {
        KeepAliveEngine.Entry e = entry;
        return e == null ? Optional.empty() : Optional.ofNullable(e.lastError);
    }

    @Override
    public void addListener(LeaseListener listener) {
        Objects.requireNonNull(listener, "listener");
        engine.addListener(this, listener);
    }

    @Override
    public void removeListener(LeaseListener listener) {
        engine.removeListener(this, listener);
    }

    @Override
    public CompletableFuture<LeaseState> terminated() {
        return terminated.thenApply(s -> s);
    }

    @Override
    public boolean awaitState(LeaseState target, Duration timeout) {
        Objects.requireNonNull(target, "state");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new InvalidArgumentException("awaitState needs a non-negative timeout, got " + timeout);
        }
        if (state == target) {
            return true;
        }
        CompletableFuture<Boolean> reached = new CompletableFuture<>();
        LeaseListener l = c -> {
            if (c.current() == target) {
                reached.complete(true);
            } else if (c.current().isTerminal()) {
                reached.complete(false);
            }
        };
        addListener(l);
        try {
            return reached.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return state == target;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdException("interrupted while waiting for lease " + id + " to become " + target, e);
        } catch (ExecutionException e) {
            throw new EtcdException("waiting for lease " + id + " failed", Futures.unwrap(e));
        } finally {
            removeListener(l);
        }
    }

    @Override
    public CompletableFuture<Void> revokeAsync() {
        return leases.revokeHandle(this);
    }

    @Override
    public void close() {
        engine.closeHandle(this, "the application closed the keep-alive; the lease was not revoked and "
                + "expires on the server within its TTL unless kept alive elsewhere");
    }

    @Override
    public String toString() {
        return "KeepAlive[lease " + id + " " + state + ", " + remaining().toMillis() + " ms left]";
    }

    // ---- called by the engine under its lock ----------------------------------------------------------------

    /** Changes the state and queues the notifications; false when nothing changed. Needs {@link #kick()}. */
    boolean transitionLocked(LeaseState to, String reason) {
        LeaseState from = state;
        if (from.isTerminal() || from == to) {
            return false;
        }
        state = to;
        List<LeaseListener> snapshot = List.copyOf(listeners);
        LeaseStateChange change = new LeaseStateChange(id, from, to, reason);
        notifications.add(() -> deliver(snapshot, change));
        if (to.isTerminal()) {
            listeners.clear();
            notifications.add(() -> terminated.complete(to));
        }
        return true;
    }

    /** Registers a listener and queues the notification of the current state. Needs {@link #kick()}. */
    void addListenerLocked(LeaseListener listener) {
        LeaseState now = state;
        if (!now.isTerminal()) {
            listeners.add(listener);
        }
        LeaseStateChange change = new LeaseStateChange(id, now, now, "the state when the listener was added");
        notifications.add(() -> deliver(List.of(listener), change));
    }

    void removeListenerLocked(LeaseListener listener) {
        listeners.remove(listener);
    }

    /** Runs queued notifications; call after releasing the engine's lock. */
    void kick() {
        notifications.kick();
    }

    private static void deliver(List<LeaseListener> to, LeaseStateChange change) {
        for (LeaseListener l : to) {
            try {
                l.stateChanged(change);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(DefaultKeepAlive.class)
                        .warn("lease listener {} threw on {}; ignored", l, change, e);
            }
        }
    }
}
