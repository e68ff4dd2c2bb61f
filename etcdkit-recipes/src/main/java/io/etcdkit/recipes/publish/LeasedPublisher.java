package io.etcdkit.recipes.publish;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.KeyBoundCodec;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.PutResult;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.recipes.session.SessionListener;
import io.etcdkit.recipes.session.SessionState;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a stream of entries into etcd: a {@link Flow.Subscriber} that writes each {@link Entry} it receives
 * with one put, optionally under a lease that is kept alive while it publishes.
 *
 * <pre>{@code
 * try (LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text())
 *         .lease(Duration.ofSeconds(10)).open()) {
 *     readings.subscribe(out);                 // any Flow.Publisher<Entry<String>>
 *     out.completion().join();                 // every entry stored (or the failure)
 *     ...                                      // the keys live while the publisher is open
 * }                                            // close(): the lease is revoked, the keys vanish at once
 * }</pre>
 *
 * <p><b>Leases.</b> {@link Builder#lease(Duration)} (the default, 10 s) opens a {@link Session} owned by the
 * publisher: its lease is kept alive until {@link #close()}, which revokes it so every key written vanishes at once.
 * {@link Builder#session(Session)} writes under an existing session's lease instead; the publisher then does not
 * own it, and the keys vanish when that session ends, not when the publisher closes.
 * {@link Builder#withoutLease()} writes plain keys that persist after close.
 *
 * <p><b>Back-pressure and order.</b> The publisher requests {@link Builder#maxInFlight(int) maxInFlight} entries
 * up front and one more each time a put is acknowledged, so at most that many puts are outstanding and a fast
 * upstream is slowed to etcd's pace. Puts of one key are applied in the order received (a put waits for the
 * previous put of its key); puts of different keys run in parallel.
 *
 * <p><b>Failures are never silent.</b> A failed put ({@link PublishFailedException}, whose cause is the put's
 * error; an {@link io.etcdkit.OutcomeUnknownException} is not retried, to never apply a write twice), a lost lease ({@link SessionExpiredException}), a value the codec
 * cannot encode, or the upstream's {@code onError} moves the publisher to {@link PublisherState#FAILED}: the
 * upstream subscription is cancelled (a subscriber cannot signal errors upstream), nothing more is written,
 * {@link #failure()} tells the cause, {@link #completion()} fails with it, the listener hears
 * {@link PublishListener#onFailed}, and it is logged.
 *
 * <p><b>One value at a time.</b> {@link #publish(String, Object)} writes one entry without a stream, under the same
 * lease and in the same per-key order, and returns a future of the revision it was stored at. Its failure is
 * reported to that future only (the publisher keeps publishing).
 *
 * <p><b>Stopping with the JVM.</b> With {@link Builder#revokeOnShutdown()} a JVM shutdown hook (SIGTERM, SIGINT,
 * {@code System.exit}) closes the publisher, so a stopped service's keys vanish at once instead of after the TTL.
 * A SIGKILL runs no hook: then the keys expire with the lease.
 *
 * <p>Subscribe it to one publisher only (Flow rule 2.12); a second subscription is cancelled. Thread-safe.
 *
 * @param <T> the value type
 */
public final class LeasedPublisher<T> implements Flow.Subscriber<Entry<T>>, AutoCloseable {
    /** The TTL of the publisher's own lease when none is configured. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);
    /** The default bound on outstanding puts. */
    public static final int DEFAULT_MAX_IN_FLIGHT = 16;

    private static final Logger LOG = LoggerFactory.getLogger(LeasedPublisher.class);

    private final EtcdClient client;
    private final KeyBoundCodec<T> codec;
    private final Session session; // null without a lease
    private final boolean ownsSession;
    private final int maxInFlight;
    private final PublishListener<T> listener;
    private final SessionListener sessionListener = this::onSessionChange;
    private final Thread shutdownHook; // null unless revokeOnShutdown
    private final KeyOrderedWrites writes = new KeyOrderedWrites();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    private final Object lock = new Object();
    private final ReentrantLock listenerLock = new ReentrantLock(); // listeners may block: not a monitor

    // guarded by lock
    private Flow.Subscription subscription;
    private PublisherState state = PublisherState.PUBLISHING;
    private Throwable failure;
    private int inFlight;
    private boolean upstreamDone;
    private long published;
    private long lastRevision;

    private LeasedPublisher(Builder<T> b, Session session, boolean ownsSession) {
        this.client = b.client;
        this.codec = b.codec;
        this.session = session;
        this.ownsSession = ownsSession;
        this.maxInFlight = b.maxInFlight;
        this.listener = b.listener;
        this.shutdownHook = b.revokeOnShutdown ? new Thread(this::closeOnShutdown, "etcdkit-publisher-revoke") : null;
    }

    /**
     * A builder for a publisher of values encoded by {@code codec}.
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param codec the codec of the values
     * @return a builder for a publisher of values encoded by {@code codec}
     */
    public static <T> Builder<T> builder(EtcdClient client, ValueCodec<T> codec) {
        return new Builder<>(client, KeyBoundCodec.ignoringKey(Objects.requireNonNull(codec, "codec")));
    }

    /**
     * A builder for a publisher of values encoded by a key-bound codec (for example client-side encryption).
     *
     * @param <T> the type of the values
     * @param client the client to use
     * @param codec the codec of the values
     * @return a builder for a publisher of values encoded by a key-bound codec (for example client-side encryption)
     */
    public static <T> Builder<T> builder(EtcdClient client, KeyBoundCodec<T> codec) {
        return new Builder<>(client, Objects.requireNonNull(codec, "codec"));
    }

    // ---- Flow.Subscriber --------------------------------------------------------------------------------

    /** Requests the first {@code maxInFlight} entries; a second subscription, or one after close, is cancelled. */
    @Override
    public void onSubscribe(Flow.Subscription s) {
        Objects.requireNonNull(s, "subscription");
        synchronized (lock) {
            if (subscription != null || state != PublisherState.PUBLISHING) {
                s.cancel();
                return;
            }
            subscription = s;
        }
        s.request(maxInFlight);
    }

    /** Writes {@code entry} (after the previous put of its key). Ignored once the publisher failed or closed. */
    @Override
    public void onNext(Entry<T> entry) {
        Objects.requireNonNull(entry, "entry"); // Flow rule 2.13
        synchronized (lock) {
            if (state != PublisherState.PUBLISHING) {
                return;
            }
            inFlight++;
        }
        Put put;
        try {
            Bytes key = Bytes.of(entry.key());
            put = Put.of(key, codec.encode(key, entry.value()));
            if (session != null) {
                put = put.lease(session.leaseId());
            }
        } catch (RuntimeException e) {
            written(entry, null, e);
            return;
        }
        Put p = put;
        writes.submit(entry.key(), () -> isPublishing() ? client.kv().putAsync(p)
                        : CompletableFuture.failedFuture(new CancellationException("the publisher stopped")))
                .whenComplete((r, e) -> written(entry, r, e));
    }

    // ---- one value --------------------------------------------------------------------------------------

    /**
     * Writes one entry without a stream: under the publisher's lease (if any), after the previous put of the same
     * key. Counts in {@link #published()} and is told to the listener like a streamed entry. A failure of this put
     * completes the returned future exceptionally and does not stop the publisher.
     *
     * @param key the key
     * @param value the value, encoded with the publisher's codec
     * @return a future of the revision the entry was stored at; it fails with a {@link PublishFailedException}
     *         (cause: the put's error, or the publisher being closed or failed already)
     * @throws NullPointerException when key or value is null
     */
    public CompletableFuture<Long> publish(String key, T value) {
        Entry<T> entry = Entry.of(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
        PublisherState now = state();
        if (now == PublisherState.CLOSED || now == PublisherState.FAILED) {
            return CompletableFuture.failedFuture(new PublishFailedException(key, "cannot publish '" + key
                    + "': the publisher is " + now + "; build a new one", failure().orElse(null)));
        }
        Put put;
        try {
            Bytes k = Bytes.of(key);
            put = Put.of(k, codec.encode(k, value));
            if (session != null) {
                put = put.lease(session.leaseId());
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new PublishFailedException(key, "cannot publish '" + key
                    + "': its value could not be encoded: " + e.getMessage(), e));
        }
        Put p = put;
        return writes.submit(key, () -> client.kv().putAsync(p)).handle((r, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                throw new PublishFailedException(key, "publishing '" + key + "' failed: " + cause.getMessage(),
                        cause);
            }
            synchronized (lock) {
                published++;
                lastRevision = Math.max(lastRevision, r.revision());
            }
            tell(l -> l.onPublished(entry, r.revision()));
            return r.revision();
        });
    }

    /** Fails the publisher with the upstream's {@code error}. */
    @Override
    public void onError(Throwable error) {
        fail(Objects.requireNonNull(error, "error")); // Flow rule 2.13
    }

    /** The upstream is done: the publisher completes once every put is acknowledged. */
    @Override
    public void onComplete() {
        boolean done;
        synchronized (lock) {
            upstreamDone = true;
            done = state == PublisherState.PUBLISHING && inFlight == 0;
        }
        if (done) {
            complete();
        }
    }

    // ---- state ------------------------------------------------------------------------------------------

    /**
     * The current state.
     *
     * @return the current state
     */
    public PublisherState state() {
        synchronized (lock) {
            return state;
        }
    }

    /**
     * Why the publisher failed; empty unless {@link PublisherState#FAILED} (or closed after failing).
     *
     * @return why the publisher failed; empty unless {@link PublisherState#FAILED} (or closed after failing)
     */
    public Optional<Throwable> failure() {
        synchronized (lock) {
            return Optional.ofNullable(failure);
        }
    }

    /**
     * The lease the keys are written under; empty without a lease.
     *
     * @return the lease the keys are written under; empty without a lease
     */
    public OptionalLong leaseId() {
        return session == null ? OptionalLong.empty() : OptionalLong.of(session.leaseId());
    }

    /**
     * How many entries are stored (acknowledged puts).
     *
     * @return how many entries are stored (acknowledged puts)
     */
    public long published() {
        synchronized (lock) {
            return published;
        }
    }

    /**
     * The highest revision of an acknowledged put, 0 before the first.
     *
     * @return the highest revision of an acknowledged put, 0 before the first
     */
    public long lastRevision() {
        synchronized (lock) {
            return lastRevision;
        }
    }

    /**
     * Entries received whose put is not yet acknowledged (at most {@code maxInFlight}).
     *
     * @return the number of entries whose put is not yet acknowledged
     */
    public int inFlight() {
        synchronized (lock) {
            return inFlight;
        }
    }

    /**
     * Completes when the upstream has completed and every entry is stored; fails with the cause when the publisher
     * fails first, and with a {@link CancellationException} when it is closed first. Completing the returned future
     * has no effect on the publisher.
     *
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    public CompletableFuture<Void> completion() {
        return completion.copy();
    }

    /**
     * Stops publishing: cancels the upstream subscription, and revokes the publisher's own lease so every key it
     * wrote vanishes at once (if etcd cannot be reached the lease expires within its TTL instead). Keys written
     * under a shared session stay until that session ends; keys written without a lease persist. Puts still in
     * flight may land (without a lease) or are refused (the lease is gone). Idempotent.
     */
    @Override
    public void close() {
        Flow.Subscription s;
        synchronized (lock) {
            if (state == PublisherState.CLOSED) {
                return;
            }
            state = PublisherState.CLOSED;
            s = subscription;
        }
        if (s != null) {
            s.cancel();
        }
        if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs (or ran) anyway; closing twice is harmless
            }
        }
        if (session != null) {
            session.removeListener(sessionListener);
            if (ownsSession) {
                session.close();
            }
        }
        completion.completeExceptionally(new CancellationException("the publisher was closed before the upstream "
                + "completed"));
    }

    @Override
    public String toString() {
        return "LeasedPublisher[" + state() + ", " + published() + " published"
                + (session == null ? ", no lease" : ", lease " + Long.toHexString(session.leaseId())) + "]";
    }

    // ---- internals --------------------------------------------------------------------------------------

    private boolean isPublishing() {
        synchronized (lock) {
            return state == PublisherState.PUBLISHING;
        }
    }

    private void written(Entry<T> entry, PutResult result, Throwable error) {
        Flow.Subscription more = null;
        boolean done = false;
        synchronized (lock) {
            inFlight--;
            if (error == null) {
                published++;
                lastRevision = Math.max(lastRevision, result.revision());
                if (state == PublisherState.PUBLISHING) {
                    done = upstreamDone && inFlight == 0;
                    more = upstreamDone ? null : subscription;
                }
            }
        }
        if (error != null) {
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (!(cause instanceof CancellationException)) {
                fail(new PublishFailedException(entry.key(), "publishing the entry for key '" + entry.key()
                        + "' failed, so the publisher stopped: " + cause.getMessage(), cause));
            }
            return;
        }
        tell(l -> l.onPublished(entry, result.revision()));
        if (more != null) {
            more.request(1);
        }
        if (done) {
            complete();
        }
    }

    private void complete() {
        synchronized (lock) {
            if (state != PublisherState.PUBLISHING) {
                return;
            }
            state = PublisherState.COMPLETED;
        }
        completion.complete(null);
        tell(PublishListener::onCompleted);
    }

    private void fail(Throwable cause) {
        Flow.Subscription s;
        synchronized (lock) {
            if (state == PublisherState.FAILED || state == PublisherState.CLOSED) {
                return;
            }
            state = PublisherState.FAILED;
            failure = cause;
            s = subscription;
        }
        LOG.warn("{} failed; the upstream subscription is cancelled: {}", this, cause.toString());
        if (s != null) {
            s.cancel();
        }
        completion.completeExceptionally(cause);
        tell(l -> l.onFailed(cause));
    }

    private void onSessionChange(SessionState previous, SessionState current, String reason) {
        if (current.isTerminal()) {
            fail(new SessionExpiredException("the lease of the published keys (" + Long.toHexString(
                    session.leaseId()) + ") is " + current + " (" + reason + "): etcd has deleted the keys"));
        }
    }

    private void tell(Consumer<PublishListener<T>> call) {
        listenerLock.lock();
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.warn("a publish listener failed", e);
        } finally {
            listenerLock.unlock();
        }
    }

    private void start() {
        if (session != null) {
            session.addListener(sessionListener);
        }
        if (shutdownHook != null) {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    private void closeOnShutdown() {
        LOG.info("JVM shutdown: closing {} so its keys vanish now", this);
        try {
            close();
        } catch (RuntimeException e) {
            LOG.warn("could not revoke the lease of {} on shutdown; its keys expire within the TTL: {}", this,
                    e.toString());
        }
    }

    /**
     * Configures a {@link LeasedPublisher}. Not thread-safe; {@link #open()} may be called more than once (each
     * publisher with its own lease when it owns one).
     *
     * @param <T> the value type
     */
    public static final class Builder<T> {
        private final EtcdClient client;
        private final KeyBoundCodec<T> codec;
        private Duration ttl = DEFAULT_TTL;
        private Session session;
        private boolean leased = true;
        private int maxInFlight = DEFAULT_MAX_IN_FLIGHT;
        private PublishListener<T> listener = new PublishListener<>() { };
        private boolean revokeOnShutdown;

        private Builder(EtcdClient client, KeyBoundCodec<T> codec) {
            this.client = Objects.requireNonNull(client, "client");
            this.codec = codec;
        }

        /**
         * Writes under the publisher's own lease of {@code ttl}, kept alive until close (the default, 10 s).
         *
         * @param ttl the time to live
         * @return this builder
         */
        public Builder<T> lease(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new InvalidArgumentException("a publisher lease TTL must be positive, got " + ttl);
            }
            this.ttl = ttl;
            this.session = null;
            this.leased = true;
            return this;
        }

        /**
         * Writes under {@code session}'s lease; the publisher does not own it and close does not revoke it.
         *
         * @param session the session to hold it with
         * @return this builder
         */
        public Builder<T> session(Session session) {
            this.session = Objects.requireNonNull(session, "session");
            this.leased = true;
            return this;
        }

        /**
         * Writes plain keys, which persist after close.
         *
         * @return this builder
         */
        public Builder<T> withoutLease() {
            this.session = null;
            this.leased = false;
            return this;
        }

        /**
         * At most {@code puts} outstanding puts (default {@value LeasedPublisher#DEFAULT_MAX_IN_FLIGHT}).
         *
         * @param puts the puts
         * @return this builder
         */
        public Builder<T> maxInFlight(int puts) {
            if (puts < 1) {
                throw new InvalidArgumentException("maxInFlight must be at least 1, got " + puts);
            }
            this.maxInFlight = puts;
            return this;
        }

        /**
         * Closes the publisher when the JVM shuts down (SIGTERM, SIGINT, {@code System.exit}; not SIGKILL), so its
         * own lease is revoked and every key it wrote vanishes at once instead of after the TTL. Off by default.
         * Needs the publisher's own lease ({@link #lease(Duration)}, the default); {@link #close()} removes the
         * hook again.
         *
         * @return this builder
         */
        public Builder<T> revokeOnShutdown() {
            this.revokeOnShutdown = true;
            return this;
        }

        /**
         * Hears published entries, completion and failure.
         *
         * @param listener the listener to call
         * @return this builder
         */
        public Builder<T> listener(PublishListener<T> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Builds the publisher, then starts it (the recipes' one pattern: fully built before anything runs). With
         * an own lease this grants it and starts keeping it alive (blocking until the first renewal; failures are
         * the usual {@link io.etcdkit.EtcdException}s).
         *
         * @return the open publisher, ready to be subscribed to a {@link Flow.Publisher} or to {@code publish}
         * @throws SessionExpiredException when the given session has already ended
         * @throws InvalidArgumentException when {@link #revokeOnShutdown()} is set without an own lease
         */
        public LeasedPublisher<T> open() {
            if (revokeOnShutdown && (!leased || session != null)) {
                throw new InvalidArgumentException("revokeOnShutdown() needs the publisher's own lease: with "
                        + (leased ? "a shared session, close the session on shutdown instead" : "withoutLease() "
                        + "there is no lease to revoke") + "; or drop revokeOnShutdown()");
            }
            LeasedPublisher<T> p;
            if (!leased) {
                p = new LeasedPublisher<>(this, null, false);
            } else if (session != null) {
                session.ensureAlive("publishing under session " + session);
                p = new LeasedPublisher<>(this, session, false);
            } else {
                p = new LeasedPublisher<>(this, Session.open(client, ttl), true);
            }
            p.start();
            return p;
        }
    }
}
