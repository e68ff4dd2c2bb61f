package io.etcdkit.bench;

import com.google.protobuf.ByteString;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ClientStreamTracer;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.InternalNettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A diagnostic client, not a product: etcd's generated stubs on a grpc-netty-shaded channel built like etcdkit's
 * (same transport, keepalive, message limits), with etcdkit's per-call features switched on one by one, to
 * measure what each costs. Named {@code raw} plus modifiers joined by {@code +}:
 * <ul>
 *   <li>{@code deadline}: a 10 s deadline on every call (etcdkit sets one; gRPC then sends a fresh
 *       {@code grpc-timeout} header value and arms a timer per call)</li>
 *   <li>{@code tracer}: a {@link ClientStreamTracer.Factory} per call (etcdkit's SentTracker)</li>
 *   <li>{@code leader}: the {@code hasleader: true} header (etcdkit sends it on all but serializable reads)</li>
 *   <li>executor, where gRPC runs call listeners and so where the future completes: {@code cached} (a cached
 *       thread pool, etcdkit's default; the default here too), {@code direct} (the transport thread; for
 *       measurement only, etcdkit must not do this), {@code fj} (a ForkJoinPool in async mode),
 *       {@code fixed} (two threads and a queue)</li>
 * </ul>
 * <li>{@code hop}: gRPC runs listeners on the transport thread (direct executor) and only the completion of the
 *     future is handed to the executor above: one hand-off per call instead of one per listener event</li>
 * <li>transport levers: {@code nio} (Netty's NIO transport instead of the native epoll one grpc-netty-shaded
 *     picks when it loads), {@code nostats} (gRPC's census stats and tracing off; a no-op unless grpc-census is on
 *     the class path), {@code window<KiB>} (the HTTP/2 flow-control window, default 1024)</li>
 * For example {@code raw+deadline+tracer+leader} is etcdkit's wire behaviour without etcdkit's own code.
 */
final class RawGrpcTarget implements Target {
    private static final Metadata.Key<String> HAS_LEADER = Metadata.Key.of("hasleader",
            Metadata.ASCII_STRING_MARSHALLER);

    private final String name;
    private final boolean deadline;
    private final boolean tracer;
    private final boolean leader;
    private final ExecutorService ownedExecutor;
    private final ExecutorService hop;
    private final ManagedChannel channel;

    RawGrpcTarget(String name, List<String> endpoints) {
        this.name = name;
        List<String> mods = Arrays.asList(name.toLowerCase(Locale.ROOT).split("\\+"));
        if (!mods.get(0).equals("raw")) {
            throw new BenchOptions.UsageException("a diagnostic client is 'raw' plus modifiers, got '" + name + "'");
        }
        boolean d = false;
        boolean t = false;
        boolean l = false;
        boolean h = false;
        String executor = "cached";
        boolean nio = false;
        boolean noStats = false;
        int windowKib = 0;
        for (String m : mods.subList(1, mods.size())) {
            if (m.matches("window[0-9]+")) {
                windowKib = Integer.parseInt(m.substring("window".length()));
                continue;
            }
            switch (m) {
                case "nio" -> nio = true;
                case "nostats" -> noStats = true;
                case "deadline" -> d = true;
                case "tracer" -> t = true;
                case "leader" -> l = true;
                case "hop" -> h = true;
                case "cached", "direct", "fj", "fixed" -> executor = m;
                default -> throw new BenchOptions.UsageException("unknown modifier '" + m + "' in '" + name
                        + "'; known: deadline, tracer, leader, hop, nio, nostats, window<KiB>, cached, direct, fj, "
                        + "fixed");
            }
        }
        this.deadline = d;
        this.tracer = t;
        this.leader = l;
        if (h && executor.equals("direct")) {
            throw new BenchOptions.UsageException("'hop' needs an executor to hop to (cached, fj or fixed)");
        }
        AtomicInteger n = new AtomicInteger();
        java.util.concurrent.ThreadFactory daemons = r -> {
            Thread th = new Thread(r, "raw-callback-" + n.incrementAndGet());
            th.setDaemon(true);
            return th;
        };
        this.ownedExecutor = switch (executor) {
            case "cached" -> Executors.newCachedThreadPool(daemons);
            case "fixed" -> Executors.newFixedThreadPool(2, daemons);
            case "fj" -> new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
                    ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
            default -> null;
        };
        URI uri = URI.create(endpoints.get(0));
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(uri.getHost(), uri.getPort())
                .disableRetry()
                .usePlaintext()
                .maxInboundMessageSize(32 << 20)
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true);
        if (nio) {
            InternalNettyChannelBuilder.useNioTransport(b);
        }
        if (noStats) {
            InternalNettyChannelBuilder.setStatsEnabled(b, false);
            InternalNettyChannelBuilder.setTracingEnabled(b, false);
        }
        if (windowKib > 0) {
            b.flowControlWindow(windowKib << 10);
        }
        this.hop = h ? ownedExecutor : null;
        if (ownedExecutor == null || h) {
            b.directExecutor();
        } else {
            b.executor(ownedExecutor);
        }
        this.channel = b.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Operation prepare(Workload workload, KeySpace keys) {
        int n = keys.size();
        ByteString[] k = new ByteString[n];
        for (int i = 0; i < n; i++) {
            k[i] = ByteString.copyFrom(keys.key(i));
        }
        ByteString value = ByteString.copyFrom(keys.value());
        return switch (workload) {
            case PUT -> new Operation() {
                @Override
                public CompletableFuture<?> issue(long i) {
                    return call(KVGrpc.getPutMethod(),
                            PutRequest.newBuilder().setKey(k[(int) (i % n)]).setValue(value).build(), leader);
                }

                @Override
                public boolean expected(Object response) {
                    return true;
                }
            };
            case RANGE_LINEARIZABLE, RANGE_SERIALIZABLE -> {
                boolean serializable = workload == Workload.RANGE_SERIALIZABLE;
                yield new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        RangeRequest.Builder r = RangeRequest.newBuilder().setKey(k[(int) (i % n)]);
                        if (serializable) {
                            r.setSerializable(true);
                        }
                        return call(KVGrpc.getRangeMethod(), r.build(), leader && !serializable);
                    }

                    @Override
                    public boolean expected(Object response) {
                        return ((RangeResponse) response).getCount() > 0;
                    }
                };
            }
            case TXN_PUT -> new Operation() {
                @Override
                public CompletableFuture<?> issue(long i) {
                    ByteString key = k[(int) (i % n)];
                    TxnRequest txn = TxnRequest.newBuilder()
                            .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.VERSION)
                                    .setResult(Compare.CompareResult.GREATER).setVersion(-1))
                            .addSuccess(RequestOp.newBuilder().setRequestPut(
                                    PutRequest.newBuilder().setKey(key).setValue(value)))
                            .build();
                    return call(KVGrpc.getTxnMethod(), txn, leader);
                }

                @Override
                public boolean expected(Object response) {
                    return ((TxnResponse) response).getSucceeded();
                }
            };
            default -> throw new UnsupportedOperationException("a diagnostic client runs put, range and txn-put only");
        };
    }

    private <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request, boolean requireLeader) {
        CallOptions options = CallOptions.DEFAULT;
        if (deadline) {
            options = options.withDeadlineAfter(10, TimeUnit.SECONDS);
        }
        if (tracer) {
            options = options.withStreamTracerFactory(new SentFlag());
        }
        Metadata headers = new Metadata();
        if (requireLeader) {
            headers.put(HAS_LEADER, "true");
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        ClientCall<Q, R> call = channel.newCall(method, options);
        call.start(new ClientCall.Listener<R>() {
            private R response;

            @Override
            public void onMessage(R message) {
                response = message;
            }

            @Override
            public void onClose(Status status, Metadata trailers) {
                R r = response;
                if (hop != null) {
                    hop.execute(() -> finish(result, status, r, trailers));
                } else {
                    finish(result, status, r, trailers);
                }
            }
        }, headers);
        call.request(2);
        call.sendMessage(request);
        call.halfClose();
        return result;
    }

    private static <R> void finish(CompletableFuture<R> result, Status status, R response, Metadata trailers) {
        if (status.isOk() && response != null) {
            result.complete(response);
        } else {
            result.completeExceptionally(status.asRuntimeException(trailers));
        }
    }

    /** Like etcdkit's SentTracker: notes whether the request message reached the transport. */
    private static final class SentFlag extends ClientStreamTracer.Factory {
        private volatile boolean sent;

        @Override
        public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
            return new ClientStreamTracer() {
                @Override
                public void outboundMessage(int seqNo) {
                    sent = true;
                }
            };
        }
    }

    @Override
    public void verify(byte[] key, byte[] value) throws Exception {
        ByteString k = ByteString.copyFrom(key);
        call(KVGrpc.getPutMethod(), PutRequest.newBuilder().setKey(k).setValue(ByteString.copyFrom(value)).build(),
                false).get(30, TimeUnit.SECONDS);
        RangeResponse r = call(KVGrpc.getRangeMethod(), RangeRequest.newBuilder().setKey(k).build(), false)
                .get(30, TimeUnit.SECONDS);
        if (r.getKvsCount() != 1 || !Arrays.equals(r.getKvs(0).getValue().toByteArray(), value)) {
            throw new IllegalStateException(name + " read back " + r + " after a put");
        }
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }
}
