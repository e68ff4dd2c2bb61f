package io.etcdkit.internal;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.auth.Auth;
import io.etcdkit.cluster.Cluster;
import io.etcdkit.cluster.Maintenance;
import io.etcdkit.internal.auth.DefaultAuth;
import io.etcdkit.internal.cluster.DefaultCluster;
import io.etcdkit.internal.cluster.DefaultMaintenance;
import io.etcdkit.internal.kv.DefaultKv;
import io.etcdkit.internal.lease.DefaultLeases;
import io.etcdkit.kv.Kv;
import io.etcdkit.internal.watch.DefaultWatches;
import io.etcdkit.internal.watch.WatchEngine;
import io.etcdkit.lease.Leases;
import io.etcdkit.watch.Watches;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The client and its views. The root owns the transport and the engines shared by all views (lease
 * keep-alive); a view adds only its namespace and deadline.
 */
public final class DefaultEtcdClient implements EtcdClient {
    private final ClientContext ctx;
    private final Shared shared;
    private final boolean root;
    private final Kv kv;
    private final Cluster cluster;
    private final Maintenance maintenance;
    private final Auth auth;
    private final Watches watches;
    private final Leases leases;

    /** What every view of one root shares. */
    private static final class Shared {
        final Transport transport;
        final DefaultLeases leases;
        final WatchEngine watchEngine;
        final AtomicBoolean closed = new AtomicBoolean();

        Shared(Transport transport, DefaultLeases leases, WatchEngine watchEngine) {
            this.transport = transport;
            this.leases = leases;
            this.watchEngine = watchEngine;
        }
    }

    private DefaultEtcdClient(ClientContext ctx, Shared shared, boolean root) {
        this.ctx = ctx;
        this.shared = shared;
        this.root = root;
        this.kv = new DefaultKv(ctx);
        this.cluster = new DefaultCluster(ctx);
        this.maintenance = new DefaultMaintenance(ctx);
        this.auth = new DefaultAuth(ctx);
        this.watches = new DefaultWatches(ctx, shared.watchEngine, kv);
        // Views share the root's keep-alive engine but use their own namespace and deadline.
        this.leases = root ? shared.leases : shared.leases.forView(ctx);
    }

    /** Opens a root client. */
    public static EtcdClient open(ClientConfig config, Bytes namespace) {
        Transport transport = Transport.open(config);
        Namespace ns = namespace.isEmpty() ? Namespace.NONE : Namespace.NONE.child(namespace);
        ClientContext ctx = new ClientContext(transport, ns, config.deadline());
        Shared shared = new Shared(transport, new DefaultLeases(ctx),
                new WatchEngine(transport, config.watchStreams()));
        return new DefaultEtcdClient(ctx, shared, true);
    }

    /** The view's context, for etcdkit's own recipes and engines. */
    public ClientContext context() {
        return ctx;
    }

    @Override
    public Kv kv() {
        return kv;
    }

    @Override
    public Watches watches() {
        return watches;
    }

    /** The shared watch engine, for etcdkit's own recipes and tests. */
    public WatchEngine watchEngine() {
        return shared.watchEngine;
    }

    @Override
    public Leases leases() {
        return leases;
    }

    @Override
    public Cluster cluster() {
        return cluster;
    }

    @Override
    public Maintenance maintenance() {
        return maintenance;
    }

    @Override
    public Auth auth() {
        return auth;
    }

    @Override
    public EtcdClient withNamespace(String prefix) {
        return withNamespace(Bytes.of(prefix));
    }

    @Override
    public EtcdClient withNamespace(Bytes prefix) {
        return new DefaultEtcdClient(new ClientContext(ctx.transport(), ctx.namespace().child(prefix),
                ctx.deadline()), shared, false);
    }

    @Override
    public EtcdClient withDeadline(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new InvalidArgumentException("a deadline must be a positive duration, got " + deadline);
        }
        return new DefaultEtcdClient(new ClientContext(ctx.transport(), ctx.namespace(), deadline), shared, false);
    }

    @Override
    public List<String> endpoints() {
        return ctx.transport().endpoints().stream().map(Endpoint::toString).toList();
    }

    @Override
    public Bytes namespace() {
        return ctx.namespace().prefix();
    }

    @Override
    public Duration deadline() {
        return ctx.deadline();
    }

    @Override
    public io.etcdkit.observe.EtcdListener listener() {
        return shared.transport.listener();
    }

    @Override
    public int maxTxnOps() {
        return shared.transport.config().maxTxnOps();
    }

    @Override
    public <T> T unwrap(Class<T> type) {
        if (type == Channel.class) {
            return type.cast(ClientInterceptors.intercept(ctx.transport().anyChannel(), new TokenInterceptor()));
        }
        throw new InvalidArgumentException("unwrap supports io.grpc.Channel only, not " + type.getName());
    }

    /** Adds the client's auth token (fetched if needed) and require-leader to raw calls. */
    private final class TokenInterceptor implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options,
                Channel next) {
            return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
                @Override
                public void start(Listener<R> listener, Metadata headers) {
                    headers.merge(Futures.await(ctx.transport().streamHeaders()));
                    super.start(listener, headers);
                }
            };
        }
    }

    @Override
    public void close() {
        if (!root || !shared.closed.compareAndSet(false, true)) {
            return;
        }
        shared.watchEngine.close();
        shared.leases.close();
        shared.transport.close();
    }
}
