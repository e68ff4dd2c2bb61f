package io.etcdkit.internal.lease;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.LeaseGrantRequest;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseKeepAliveRequest;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveRequest;
import io.etcd.jetcd.api.LeaseTimeToLiveResponse;
import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.LeaseNotFoundException;
import io.etcdkit.internal.ByteStrings;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.ClientContext;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Namespace;
import io.etcdkit.internal.Transport;
import io.etcdkit.lease.KeepAlive;
import io.etcdkit.lease.Lease;
import io.etcdkit.lease.LeaseInfo;
import io.etcdkit.lease.LeaseListener;
import io.etcdkit.lease.Leases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link Leases} of a client: unary lease calls on the transport with the client's deadline, and the
 * {@link KeepAliveEngine} that keeps leases alive on one stream, shared by the root client and every view made
 * with {@link #forView}.
 *
 * <p>Retry classes: grant is a {@link CallKind#WRITE} (never silently repeated; outcome unknown when it may have
 * been applied); revoke an {@link CallKind#IDEMPOTENT_WRITE}; keep-alive-once, time-to-live and list are
 * {@link CallKind#READ}s. Keep-alive-once sends one message on a keep-alive stream and half-closes it, which
 * etcd answers like a unary call.
 */
public final class DefaultLeases implements Leases {
    /** etcd's largest TTL (seconds), see etcd's lease.MaxLeaseTTL. */
    private static final long MAX_TTL_SECONDS = 9_000_000_000L;

    private final ClientContext ctx;
    private final Transport transport;
    private final Namespace namespace;
    private final KeepAliveEngine engine;

    /** The service of the root client {@code ctx}, with a new keep-alive engine. */
    public DefaultLeases(ClientContext ctx) {
        this(ctx, new KeepAliveEngine(ctx.transport()));
    }

    private DefaultLeases(ClientContext ctx, KeepAliveEngine engine) {
        this.ctx = ctx;
        this.transport = ctx.transport();
        this.namespace = ctx.namespace();
        this.engine = engine;
    }

    /**
     * The leases of another view of the same client: calls use the view's deadline and {@code timeToLive} keys
     * are relative to the view's namespace, while keep-alives share this instance's engine (one stream per
     * client). Only the root's instance is to be {@link #close() closed}.
     */
    public DefaultLeases forView(ClientContext view) {
        return new DefaultLeases(view, engine);
    }

    // ---- grant / revoke ---------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<Lease> grantAsync(Duration ttl) {
        return doGrant(ttl, 0);
    }

    @Override
    public CompletableFuture<Lease> grantAsync(Duration ttl, long requestedId) {
        if (requestedId <= 0) {
            return Futures.failed(new InvalidArgumentException("a requested lease id must be positive, got "
                    + requestedId + "; use grant(ttl) to let etcd choose one"));
        }
        return doGrant(ttl, requestedId);
    }

    private CompletableFuture<Lease> doGrant(Duration ttl, long id) {
        long seconds;
        try {
            seconds = ttlSeconds(ttl);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        LeaseGrantRequest req = LeaseGrantRequest.newBuilder().setTTL(seconds).setID(id).build();
        return transport.call(LeaseGrpc.getLeaseGrantMethod(), req, CallKind.WRITE, ctx.deadline(),
                () -> "grant of a lease with TTL " + seconds + " s" + (id == 0 ? "" : " and id " + id))
                .thenApply(r -> {
                    if (!r.getError().isEmpty()) {
                        throw new EtcdException("grant of a lease with TTL " + seconds + " s failed: "
                                + r.getError());
                    }
                    return new Lease(r.getID(), Duration.ofSeconds(r.getTTL()));
                });
    }

    static long ttlSeconds(Duration ttl) {
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new InvalidArgumentException("a lease TTL must be a positive duration, got " + ttl);
        }
        long seconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        if (seconds > MAX_TTL_SECONDS) {
            throw new InvalidArgumentException("a lease TTL of " + ttl + " exceeds etcd's maximum of "
                    + MAX_TTL_SECONDS + " s; use a shorter TTL");
        }
        return seconds;
    }

    @Override
    public CompletableFuture<Void> revokeAsync(long id) {
        return revoke(id, false);
    }

    /** Revokes the lease of a handle: an already missing lease counts as revoked; a failure closes the handle. */
    CompletableFuture<Void> revokeHandle(DefaultKeepAlive h) {
        return revoke(h.id(), true).whenComplete((v, e) -> {
            if (e != null) {
                engine.closeHandle(h, "revoking the lease failed, so it is no longer kept alive and expires on "
                        + "the server within its TTL: " + Futures.unwrap(e).getMessage());
            }
        });
    }

    private CompletableFuture<Void> revoke(long id, boolean missingIsRevoked) {
        if (id <= 0) {
            return Futures.failed(badId(id));
        }
        AtomicInteger attempts = new AtomicInteger();
        engine.revoking(id, 1);
        return transport.call(LeaseMethods.countingRevoke(attempts), LeaseRevokeRequest.newBuilder().setID(id).build(),
                CallKind.IDEMPOTENT_WRITE, ctx.deadline(), () -> "revoke of lease " + id)
                .handle((r, e) -> {
                    engine.revoking(id, -1);
                    if (e == null) {
                        engine.revoked(id);
                        return null;
                    }
                    Throwable c = Futures.unwrap(e);
                    // A retried revoke that finds the lease gone: an earlier attempt of this call may have
                    // revoked it before its answer was lost. The lease is gone either way.
                    if (c instanceof LeaseNotFoundException && (missingIsRevoked || attempts.get() > 1)) {
                        engine.revoked(id);
                        return null;
                    }
                    throw new CompletionException(c);
                });
    }

    // ---- queries ------------------------------------------------------------------------------------------------

    @Override
    public CompletableFuture<LeaseInfo> timeToLiveAsync(long id) {
        return timeToLiveQuery(id, false);
    }

    @Override
    public CompletableFuture<LeaseInfo> timeToLiveWithKeysAsync(long id) {
        return timeToLiveQuery(id, true);
    }

    private CompletableFuture<LeaseInfo> timeToLiveQuery(long id, boolean withKeys) {
        if (id <= 0) {
            return Futures.failed(badId(id));
        }
        LeaseTimeToLiveRequest req = LeaseTimeToLiveRequest.newBuilder().setID(id).setKeys(withKeys).build();
        return transport.call(LeaseGrpc.getLeaseTimeToLiveMethod(), req, CallKind.READ, ctx.deadline(),
                () -> "time-to-live of lease " + id).thenApply(r -> info(id, r));
    }

    private LeaseInfo info(long id, LeaseTimeToLiveResponse r) {
        if (r.getTTL() < 0) {
            // etcd answers TTL -1 for a lease it does not know, instead of an error.
            throw notFound(id, "time-to-live of");
        }
        List<Bytes> keys = new ArrayList<>(r.getKeysCount());
        ByteString prefix = ByteStrings.of(namespace.prefix());
        for (ByteString k : r.getKeysList()) {
            if (k.startsWith(prefix)) {
                keys.add(namespace.strip(k));
            }
        }
        return new LeaseInfo(id, Duration.ofSeconds(r.getGrantedTTL()), Duration.ofSeconds(r.getTTL()), keys);
    }

    @Override
    public CompletableFuture<List<Long>> listAsync() {
        return transport.call(LeaseMethods.LEASE_LEASES, LeaseMethods.LeasesRequest.INSTANCE, CallKind.READ,
                ctx.deadline(), () -> "list of leases").thenApply(ids -> ids.stream().sorted().toList());
    }

    // ---- keep-alive ---------------------------------------------------------------------------------------------

    /** One renewal: sent no earlier than {@code sentAt}, answered at {@code ackAt}. */
    private record Renewal(long sentAt, long ackAt, long ttlNanos) {}

    private CompletableFuture<Renewal> renew(long id) {
        if (id <= 0) {
            return Futures.failed(badId(id));
        }
        long sentAt = engine.ticker().nanoTime();
        return transport.call(LeaseGrpc.getLeaseKeepAliveMethod(), LeaseKeepAliveRequest.newBuilder().setID(id)
                .build(), CallKind.READ, ctx.deadline(), () -> "keep-alive of lease " + id).thenApply(r -> {
                    if (r.getTTL() <= 0) {
                        // etcd answers TTL 0 for a lease it does not know.
                        throw notFound(id, "keep-alive of");
                    }
                    long ackAt = engine.ticker().nanoTime();
                    long ttl = TimeUnit.SECONDS.toNanos(r.getTTL());
                    engine.renewedElsewhere(id, sentAt, ackAt, ttl);
                    return new Renewal(sentAt, ackAt, ttl);
                });
    }

    @Override
    public CompletableFuture<Duration> keepAliveOnceAsync(long id) {
        return renew(id).thenApply(r -> Duration.ofNanos(r.ttlNanos()));
    }

    @Override
    public CompletableFuture<KeepAlive> keepAliveAsync(long id, LeaseListener listener) {
        return renew(id).thenApply(r -> {
            DefaultKeepAlive h = new DefaultKeepAlive(id, engine, this, transport.callbackExecutor());
            if (!engine.register(h, r.ttlNanos(), r.sentAt(), r.ackAt(), listener)) {
                throw new EtcdException("cannot keep lease " + id + " alive: the client is closed");
            }
            return h;
        });
    }

    // ---- lifecycle and diagnostics ------------------------------------------------------------------------------

    /**
     * Releases resources held for the root client (called once, on close): stops the keep-alive engine; every
     * handle becomes CLOSED. No lease is revoked.
     */
    public void close() {
        engine.close();
    }

    /** How many keep-alive streams this client opened so far (for tests and diagnostics). */
    public long keepAliveStreamsOpened() {
        return engine.streamsOpened();
    }

    /** The endpoint the keep-alive stream is open to, if one is (for tests and diagnostics). */
    public Optional<String> keepAliveStreamEndpoint() {
        return Optional.ofNullable(engine.streamEndpoint());
    }

    /** How many leases the engine keeps alive (for tests and diagnostics). */
    public int keptLeases() {
        return engine.keptLeases();
    }

    private static LeaseNotFoundException notFound(long id, String op) {
        return new LeaseNotFoundException(op + " lease " + id + " failed: etcd does not know the lease. It expired, "
                + "was revoked, or never existed; grant a new one");
    }

    private static InvalidArgumentException badId(long id) {
        return new InvalidArgumentException("lease ids are positive, got " + id);
    }
}
