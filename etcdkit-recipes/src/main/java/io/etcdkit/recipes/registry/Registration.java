package io.etcdkit.recipes.registry;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Put;
import io.etcdkit.recipes.internal.Backoff;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered service instance, owned by the caller (from {@link ServiceRegistry#register}). It owns a
 * {@link Session} whose lease the entry is written under.
 *
 * <p><b>Lease loss.</b> If the session expires (the lease expired or was revoked by someone else), the entry is
 * gone; the registration then goes to {@link RegistrationState#REREGISTERING}, opens a new session and writes the
 * latest instance data again (retrying with jittered back-off from 100 ms up to 5 s until it succeeds or is
 * closed), then is {@link RegistrationState#REGISTERED} again. Listeners hear every step;
 * {@link #reRegistrations()} counts the successful re-registrations.
 *
 * <p><b>Close</b> revokes the lease so the entry disappears at once; idempotent. If the client itself is closed,
 * the registration becomes {@link RegistrationState#CLOSED} without revoking and the entry expires within the TTL.
 *
 * <p>An entry deleted directly (not through its lease) is not re-created. Thread-safe.
 */
public final class Registration implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Registration.class);
    private static final ScheduledThreadPoolExecutor SCHEDULER;

    static {
        SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "etcdkit-registry");
            t.setDaemon(true);
            return t;
        });
        SCHEDULER.setKeepAliveTime(10, TimeUnit.SECONDS);
        SCHEDULER.allowCoreThreadTimeOut(true);
        SCHEDULER.setRemoveOnCancelPolicy(true);
    }

    private final ServiceRegistry registry;
    private final String name;
    private final String key;
    private final Duration ttl;
    private final ReentrantLock writes = new ReentrantLock();
    private final CopyOnWriteArrayList<RegistrationListener> listeners = new CopyOnWriteArrayList<>();
    private volatile ServiceInstance instance;
    private volatile Session session;
    private volatile RegistrationState state = RegistrationState.REGISTERED;
    private volatile String lastReason = "registered";
    private volatile long reRegistrations;
    private boolean closed; // guarded by this

    private Registration(ServiceRegistry registry, String name, ServiceInstance instance, Duration ttl) {
        this.registry = registry;
        this.name = name;
        this.key = registry.key(name, instance.id());
        this.ttl = ttl;
        this.instance = instance;
    }

    static Registration start(ServiceRegistry registry, String name, ServiceInstance instance, Duration ttl) {
        Registration r = new Registration(registry, name, instance, ttl);
        Session s = r.openAndWrite();
        r.session = s;
        s.addListener((was, now, why) -> r.onSessionChange(s, was, now, why));
        return r;
    }

    /**
     * Async form of {@link #start}: opens the session and writes the entry without blocking a thread; completes on
     * the client's callback executor. If the write fails the session is closed (asynchronously) and the future
     * fails with the write's error.
     */
    static CompletableFuture<Registration> startAsync(ServiceRegistry registry, String name, ServiceInstance instance,
            Duration ttl) {
        Registration r = new Registration(registry, name, instance, ttl);
        return Session.openAsync(registry.client(), ttl).thenCompose(s -> r.writeAsync(s, instance)
                .handle((ok, e) -> {
                    if (e != null) {
                        s.closeAsync();
                        throw e instanceof CompletionException ce ? ce : new CompletionException(e);
                    }
                    r.session = s;
                    s.addListener((was, now, why) -> r.onSessionChange(s, was, now, why));
                    return r;
                }));
    }

    private CompletableFuture<Void> writeAsync(Session s, ServiceInstance data) {
        try {
            return registry.client().kv().putAsync(Put.of(Bytes.of(key), ServiceRegistry.CODEC.encode(data))
                    .lease(s.leaseId())).thenApply(put -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Opens a session and writes the current instance under its lease; closes the session if the write fails. */
    private Session openAndWrite() {
        Session s = Session.open(registry.client(), ttl);
        try {
            write(s, instance);
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void write(Session s, ServiceInstance data) {
        registry.client().kv().put(Put.of(Bytes.of(key), ServiceRegistry.CODEC.encode(data))
                .lease(s.leaseId()));
    }

    private void onSessionChange(Session s, SessionState was, SessionState now, String why) {
        if ((was == now && !now.isTerminal()) || s != session) {
            return; // the replay of a live state, or a session we replaced (a terminal replay is acted on)
        }
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        switch (now) {
            case CONNECTED -> transition(RegistrationState.REGISTERED, "session renewed: " + why);
            case SUSPENDED -> transition(RegistrationState.SUSPENDED, "session suspended: " + why);
            case EXPIRED -> {
                if (transition(RegistrationState.REREGISTERING, "lease lost (" + why + "); re-registering")) {
                    SCHEDULER.execute(() -> reRegister(s, 1));
                }
            }
            case CLOSED -> {
                // Not by us (close() marks closed first): the client was closed. Nothing can be re-registered.
                synchronized (this) {
                    closed = true;
                }
                transition(RegistrationState.CLOSED, "session closed under the registration: " + why);
            }
        }
    }

    private void reRegister(Session lost, int attempt) {
        if (isClosedNow() || session != lost) {
            return;
        }
        Session fresh;
        ServiceInstance written = instance;
        writes.lock();
        try {
            if (isClosedNow()) {
                return;
            }
            written = instance;
            fresh = openAndWrite();
        } catch (RuntimeException e) {
            if (isClosedNow()) {
                return;
            }
            long delay = TimeUnit.NANOSECONDS.toMillis(Backoff.RECONNECT.delayNanos(attempt));
            LOG.warn("re-registering {} failed, retrying in {} ms: {}", key, delay, e.toString());
            SCHEDULER.schedule(() -> reRegister(lost, attempt + 1), delay, TimeUnit.MILLISECONDS);
            return;
        } finally {
            writes.unlock();
        }
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
            if (!closedMeanwhile) {
                session = fresh;
                reRegistrations++;
            }
        }
        if (closedMeanwhile) {
            fresh.close(); // revokes the lease: an etcd call, outside the monitor
            return;
        }
        rewriteIfUpdatedMeanwhile(fresh, written);
        fresh.addListener((was, now, why) -> onSessionChange(fresh, was, now, why));
        LOG.info("re-registered {} under lease {}", key, Long.toHexString(fresh.leaseId()));
        transition(RegistrationState.REGISTERED, "re-registered under lease " + Long.toHexString(fresh.leaseId()));
    }

    /**
     * An {@link #updateAsync} that ran while {@code fresh} was being opened may have stored new data after the
     * re-registration read it and skipped its own write (the old session was lost): write it now.
     */
    private void rewriteIfUpdatedMeanwhile(Session fresh, ServiceInstance written) {
        ServiceInstance now = instance;
        if (now != written) {
            try {
                write(fresh, now);
            } catch (RuntimeException e) {
                LOG.warn("writing the data of {} updated during its re-registration failed: {}", key, e.toString());
            }
        }
    }

    private synchronized boolean isClosedNow() {
        return closed;
    }

    /** Moves to {@code next} and tells the listeners; false when already there or closed. */
    private boolean transition(RegistrationState next, String reason) {
        RegistrationState previous;
        synchronized (this) {
            previous = state;
            if (previous.isTerminal() || previous == next) {
                return false;
            }
            state = next;
            lastReason = reason;
        }
        for (RegistrationListener l : listeners) {
            try {
                l.stateChanged(previous, next, reason);
            } catch (RuntimeException e) {
                LOG.warn("registration listener failed", e);
            }
        }
        return true;
    }

    /**
     * Replaces the instance data (same id: the key does not change). The new data is written under the current
     * lease before this returns, and is what a later re-registration writes. While the registration is
     * {@link RegistrationState#REREGISTERING} the data is only stored and written by the re-registration.
     *
     * @param newInstance the new instance
     * @throws InvalidArgumentException when the id differs
     * @throws IllegalStateException when the registration is closed
     * @throws io.etcdkit.EtcdException when the write fails (the new data is still kept for re-registration)
     */
    public void update(ServiceInstance newInstance) {
        Objects.requireNonNull(newInstance, "newInstance");
        if (!newInstance.id().equals(instance.id())) {
            throw new InvalidArgumentException("update cannot change the instance id (" + instance.id() + " -> "
                    + newInstance.id() + "); register a new instance instead");
        }
        writes.lock();
        try {
            if (isClosedNow()) {
                throw new IllegalStateException("registration of " + key + " is closed");
            }
            instance = newInstance;
            Session s = session;
            if (!s.state().isTerminal()) {
                write(s, newInstance);
            }
        } finally {
            writes.unlock();
        }
    }

    /**
     * Async twin of {@link #update}: stores {@code newInstance} at once (it is what a later re-registration
     * writes) and writes it under the current lease without blocking a thread; completes on the client's callback
     * executor once etcd has it. While the registration is {@link RegistrationState#REREGISTERING} the future
     * completes at once and the re-registration writes the new data (it re-checks for updates made while it
     * ran, so none is lost). Concurrent updates of one registration race (the last stored is what
     * re-registration writes); chain them on the returned futures to order them.
     *
     * @param newInstance the new instance
     * @return a future completed once the new data is written, or exceptionally with
     *     {@link InvalidArgumentException} when the id differs, {@link IllegalStateException} when the
     *     registration is closed, or the write's {@link io.etcdkit.EtcdException} (the data is still kept for
     *     re-registration)
     */
    public CompletableFuture<Void> updateAsync(ServiceInstance newInstance) {
        Objects.requireNonNull(newInstance, "newInstance");
        if (!newInstance.id().equals(instance.id())) {
            return CompletableFuture.failedFuture(new InvalidArgumentException("update cannot change the instance id ("
                    + instance.id() + " -> " + newInstance.id() + "); register a new instance instead"));
        }
        Session s;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("registration of " + key
                        + " is closed"));
            }
            instance = newInstance;
            s = session;
        }
        if (s.state().isTerminal()) {
            return CompletableFuture.completedFuture(null); // a re-registration is under way and writes it
        }
        return writeAsync(s, newInstance);
    }

    /**
     * The service name.
     *
     * @return the service name
     */
    public String name() {
        return name;
    }

    /**
     * The etcd key of the entry.
     *
     * @return the etcd key of the entry
     */
    public String key() {
        return key;
    }

    /**
     * The latest instance data.
     *
     * @return the latest instance data
     */
    public ServiceInstance instance() {
        return instance;
    }

    /**
     * The current state.
     *
     * @return the current state
     */
    public RegistrationState state() {
        return state;
    }

    /**
     * The lease id of the current session (changes with each re-registration).
     *
     * @return the lease id of the current session (changes with each re-registration)
     */
    public long leaseId() {
        return session.leaseId();
    }

    /**
     * The TTL asked for.
     *
     * @return the TTL asked for
     */
    public Duration ttl() {
        return ttl;
    }

    /**
     * How many times the registration re-registered itself after losing its lease.
     *
     * @return how many times the registration re-registered itself after losing its lease
     */
    public long reRegistrations() {
        return reRegistrations;
    }

    /**
     * Registers a listener; it is told the current state first (with {@code previous == current}, on the calling
     * thread), then every change.
     *
     * @param listener the listener to call
     */
    public void addListener(RegistrationListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        RegistrationState now = state;
        listener.stateChanged(now, now, lastReason);
    }

    /**
     * Removes a listener.
     *
     * @param listener the listener to call
     */
    public void removeListener(RegistrationListener listener) {
        listeners.remove(listener);
    }

    /**
     * Deregisters: revokes the session's lease so the entry disappears at once, and stops re-registering.
     * Idempotent. If the cluster cannot be reached the entry expires within the TTL.
     */
    @Override
    public void close() {
        Session s;
        synchronized (this) {
            if (closed && state.isTerminal()) {
                return;
            }
            closed = true;
            s = session;
        }
        s.close();
        transition(RegistrationState.CLOSED, "closed");
    }

    /**
     * Async twin of {@link #close()}: revokes the session's lease without blocking a thread. Completes (never
     * exceptionally) on the client's callback executor once the registration is {@link RegistrationState#CLOSED};
     * if the cluster cannot be reached the entry expires within the TTL. Idempotent.
     *
     * @return a future completed once the registration is closed
     */
    public CompletableFuture<Void> closeAsync() {
        Session s;
        synchronized (this) {
            if (closed && state.isTerminal()) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            s = session;
        }
        return s.closeAsync().thenRun(() -> transition(RegistrationState.CLOSED, "closed"));
    }

    @Override
    public String toString() {
        return "Registration[" + key + ", " + state + "]";
    }
}
