package io.etcdkit.internal;

import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The connection to an etcd cluster shared by a client and all the views derived from it: one gRPC channel per
 * member, the callback executor, a scheduler for retries and timers, and the auth token.
 *
 * <p>Internal API: used by etcdkit's own packages, not by applications.
 */
public final class Transport implements AutoCloseable {
    private final ClientConfig config;
    private final Executor callbackExecutor;
    private final ExecutorService ownedExecutor;
    private final ScheduledExecutorService scheduler;
    private final MemberPool pool;
    private final AuthTokens authTokens;
    private final LeaderTracker leaders;
    private final EndpointSync endpointSync;

    private Transport(ClientConfig config) {
        this.config = config;
        if (config.callbackExecutor() != null) {
            this.callbackExecutor = config.callbackExecutor();
            this.ownedExecutor = null;
        } else {
            // A work-stealing pool in async mode: measured at about half the client CPU per operation of a cached
            // thread pool (fewer thread hand-offs and wake-ups; see NOTES.md). Blocking waits on futures inside it
            // are compensated by the pool; user callbacks must still not block for long.
            this.ownedExecutor = new ForkJoinPool(Math.max(4, Runtime.getRuntime().availableProcessors()),
                    pool -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setName("etcdkit-callback-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    }, null, true);
            this.callbackExecutor = ownedExecutor;
        }
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, daemonThreads("etcdkit-timer"));
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        this.authTokens = config.usesAuth() ? new AuthTokens(this, config.user(), config.password()) : null;
        this.pool = new MemberPool(config.endpoints(), new ChannelFactory(config, callbackExecutor),
                config.listener(), new MemberProber(scheduler, this::currentToken),
                config.autoSyncInterval() != null);
        this.leaders = new LeaderTracker(pool, scheduler, this::currentToken);
        this.endpointSync = config.autoSyncInterval() == null ? null
                : EndpointSync.start(this, config.autoSyncInterval());
    }

    /** Opens the channels (connections are made lazily on first use). */
    public static Transport open(ClientConfig config) {
        return new Transport(config);
    }

    /** The client's settings. */
    public ClientConfig config() {
        return config;
    }

    /** Where results and callbacks run; never a gRPC transport thread. */
    public Executor callbackExecutor() {
        return callbackExecutor;
    }

    /** For timers and delayed retries; tasks must be short and must not block. */
    public ScheduledExecutorService scheduler() {
        return scheduler;
    }

    /** The client's listener (all registered ones as one), or {@code EtcdListener.NONE}. */
    public io.etcdkit.observe.EtcdListener listener() {
        return config.listener();
    }

    /** The endpoints in use: the configured ones, or with endpoint auto-sync the cluster's members last seen. */
    public List<Endpoint> endpoints() {
        return pool.members().stream().map(m -> m.endpoint).toList();
    }

    MemberPool pool() {
        return pool;
    }

    LeaderTracker leaders() {
        return leaders;
    }

    AuthTokens authTokens() {
        return authTokens;
    }

    /** The auth token when one is at hand (never waits), else null. */
    private String currentToken() {
        if (authTokens == null) {
            return null;
        }
        CompletableFuture<String> t = authTokens.token();
        return t.isDone() && !t.isCompletedExceptionally() ? t.getNow(null) : null;
    }

    /**
     * Runs a unary call with retries within {@code deadline}, on any member.
     *
     * @param operation describes the call for error messages (evaluated only on failure)
     */
    public <Req, Resp> CompletableFuture<Resp> call(MethodDescriptor<Req, Resp> method, Req request, CallKind kind,
            Duration deadline, Supplier<String> operation) {
        return call(method, request, kind, deadline, operation, null, true);
    }

    /**
     * Runs a unary call on one given member only (status, defragment, hash of that member). Fails with
     * {@link io.etcdkit.InvalidArgumentException} when the client was not configured with that endpoint.
     */
    public <Req, Resp> CompletableFuture<Resp> callOn(Endpoint endpoint, MethodDescriptor<Req, Resp> method,
            Req request, CallKind kind, Duration deadline, Supplier<String> operation) {
        Member member = pool.find(endpoint);
        if (member == null) {
            return Futures.failed(new io.etcdkit.InvalidArgumentException("endpoint " + endpoint
                    + " is not one of this client's endpoints " + endpoints()
                    + "; build a client for it or use one of those"));
        }
        return call(method, request, kind, deadline, operation, member, true);
    }

    <Req, Resp> CompletableFuture<Resp> call(MethodDescriptor<Req, Resp> method, Req request, CallKind kind,
            Duration deadline, Supplier<String> operation, Member pinned, boolean withToken) {
        long deadlineNanos = System.nanoTime() + deadline.toNanos();
        RetryingCall<Req, Resp> call = new RetryingCall<>(this, method, request, kind, deadlineNanos, operation,
                pinned, withToken);
        call.start();
        return call.result;
    }

    /**
     * A member for a long-lived stream (watch, lease keep-alive): a different one from {@code avoid} when one is
     * healthy. The returned handle reports failures so the pool avoids the member for a while.
     */
    public StreamTarget streamTarget(StreamTarget avoid) {
        Member m = avoid == null ? pool.pick() : pool.pickOtherThan(avoid.member());
        return new StreamTarget(m);
    }

    /** The headers a stream must carry: the current auth token (fetched if needed) and require-leader. */
    public CompletableFuture<io.grpc.Metadata> streamHeaders() {
        if (authTokens == null) {
            return CompletableFuture.completedFuture(Headers.of(null, true));
        }
        return authTokens.token().thenApply(t -> Headers.of(t, true));
    }

    /** Tells the transport that a stream's auth token was refused, so the next headers carry a new one. */
    public void tokenRejected(io.grpc.Metadata headers) {
        if (authTokens != null) {
            String t = headers.get(Headers.TOKEN);
            if (t != null) {
                authTokens.invalidate(t);
            }
        }
    }

    /** A raw channel to some member, for the escape hatch. */
    public Channel anyChannel() {
        return pool.pick().channel;
    }

    @Override
    public void close() {
        if (endpointSync != null) {
            endpointSync.close();
        }
        leaders.close();
        pool.close();
        scheduler.shutdownNow();
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One member chosen for a long-lived stream. */
    public static final class StreamTarget {
        private final Member member;

        StreamTarget(Member member) {
            this.member = member;
        }

        Member member() {
            return member;
        }

        /** The member's endpoint. */
        public Endpoint endpoint() {
            return member.endpoint;
        }

        /** The member's channel. */
        public Channel channel() {
            return member.channel;
        }

        /**
         * The stream to this member failed at the transport level: avoid it for a while.
         *
         * @param why a {@code Status}, an exception or a text, for the listener (turned into text only then)
         */
        public void failed(Object why) {
            member.failed(why);
        }

        /** The stream to this member works. */
        public void succeeded() {
            member.succeeded();
        }
    }
}
