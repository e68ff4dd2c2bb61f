package io.etcdkit.bench;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.micrometer.EtcdMetrics;
import io.etcdkit.recipes.cache.CachedView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * etcdkit driven through {@link Kv}'s async methods: {@code etcdkit} with its default settings, or, for
 * diagnosis, with another callback executor passed to {@code EtcdClientBuilder.callbackExecutor(..)}:
 * {@code etcdkit+fj} (a ForkJoinPool in async mode, one thread per core), {@code etcdkit+fixed} (two threads
 * and a queue), {@code etcdkit+counting} (a cached pool like the default that counts the tasks it runs and
 * prints tasks per operation on close); and {@code etcdkit+metrics}, the default settings with an
 * {@code EtcdMetrics} listener on a Prometheus meter registry, to measure what metrics cost.
 */
final class EtcdkitTarget implements Target {
    private final String name;
    private final EtcdClient client;
    private final Kv kv;
    private final ExecutorService executor;
    private final LongAdder tasks = new LongAdder();
    private final List<String> endpoints;

    EtcdkitTarget(String name, List<String> endpoints, int maxTxnOps) {
        this.name = name;
        this.endpoints = List.copyOf(endpoints);
        EtcdClientBuilder builder = EtcdClient.builder().endpoints(endpoints).maxTxnOps(maxTxnOps);
        AtomicInteger n = new AtomicInteger();
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "etcdkit-callback-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        switch (name) {
            case "etcdkit" -> executor = null;
            case "etcdkit+metrics" -> {
                executor = null;
                builder.listener(EtcdMetrics.builder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT)).build());
            }
            case "etcdkit+fj" -> executor = new ForkJoinPool(Runtime.getRuntime().availableProcessors(),
                    pool -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                        t.setName("etcdkit-callback-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    }, null, true);
            case "etcdkit+fixed" -> executor = Executors.newFixedThreadPool(2, daemons);
            case "etcdkit+counting" -> executor = Executors.newCachedThreadPool(daemons);
            default -> throw new BenchOptions.UsageException("unknown etcdkit variant '" + name
                    + "'; known: etcdkit, etcdkit+metrics, etcdkit+fj, etcdkit+fixed, "
                    + "etcdkit+counting");
        }
        if (executor != null) {
            builder.callbackExecutor(name.equals("etcdkit+counting") ? task -> {
                tasks.increment();
                executor.execute(task);
            } : executor);
        }
        this.client = builder.build();
        this.kv = client.kv();
    }

    @Override
    public String name() {
        return name;
    }

    /** Tasks the counting executor has run so far (0 for the other variants). */
    long tasks() {
        return tasks.sum();
    }

    @Override
    public Operation prepare(Workload workload, KeySpace keys) throws InterruptedException {
        int n = keys.size();
        Bytes[] k = new Bytes[n];
        for (int i = 0; i < n; i++) {
            k[i] = Bytes.of(keys.key(i));
        }
        Bytes value = Bytes.of(keys.value());
        switch (workload) {
            case PUT:
                return new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        return kv.putAsync(Put.of(k[(int) (i % n)], value));
                    }

                    @Override
                    public boolean expected(Object response) {
                        return true;
                    }
                };
            case RANGE_LINEARIZABLE:
            case RANGE_SERIALIZABLE:
                boolean serializable = workload == Workload.RANGE_SERIALIZABLE;
                return new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        Range range = Range.key(k[(int) (i % n)]);
                        return kv.rangeAsync(serializable ? range.serializable() : range);
                    }

                    @Override
                    public boolean expected(Object response) {
                        return ((RangeResult) response).count() > 0;
                    }
                };
            case TXN_PUT:
                return new Operation() {
                    @Override
                    public CompletableFuture<?> issue(long i) {
                        Bytes key = k[(int) (i % n)];
                        return kv.commitAsync(Transaction.when(Compare.version(key).greaterThan(-1))
                                .then(Put.of(key, value)));
                    }

                    @Override
                    public boolean expected(Object response) {
                        return ((TxnResult) response).succeeded();
                    }
                };
            case LEASE_KEEPALIVE:
                return keepAlive();
            case CACHE_READ:
                if (!name.equals("etcdkit")) {
                    throw new UnsupportedOperationException("the cache is the same whatever the executor");
                }
                return cacheRead(keys);
            default:
                throw new UnsupportedOperationException(workload.id() + " is not an operation workload");
        }
    }

    /** One keep-alive of a lease granted for the workload (revoked at the end). */
    private Operation keepAlive() {
        long id = client.leases().grant(Duration.ofMinutes(10)).id();
        return new Operation() {
            @Override
            public CompletableFuture<?> issue(long i) {
                return client.leases().keepAliveOnceAsync(id);
            }

            @Override
            public boolean expected(Object response) {
                return ((Duration) response).toSeconds() > 0;
            }

            @Override
            public void close() {
                client.leases().revoke(id);
            }
        };
    }

    /** A read from a {@link CachedView} of the preloaded prefix, opened (and loaded) before the warm-up. */
    private Operation cacheRead(KeySpace keys) throws InterruptedException {
        CachedView<Bytes> view = CachedView.open(client, keys.prefix(), Codecs.bytes());
        // at least: the clients' write-and-read-back checks also left a key under the prefix
        if (!view.awaitReady(Duration.ofSeconds(120)) || view.size() < keys.size()) {
            view.close();
            throw new IllegalStateException("the CachedView of " + keys.prefix() + " did not load its "
                    + keys.size() + " keys in 120 s (it has " + view.size() + ")");
        }
        int n = keys.size();
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = new String(keys.key(i), StandardCharsets.UTF_8);
        }
        return new LocalOperation() {
            @Override
            public boolean run(long i) {
                return view.get(names[(int) (i % n)]).isPresent();
            }

            @Override
            public void close() {
                view.close();
            }
        };
    }

    /** The client (for the workloads that drive it directly). */
    /** The endpoints this target talks to (benches that need a client of their own build it from these). */
    List<String> endpoints() {
        return endpoints;
    }

    EtcdClient client() {
        return client;
    }

    @Override
    public void verify(byte[] key, byte[] value) {
        kv.put(Put.of(Bytes.of(key), Bytes.of(value)));
        Optional<KeyValue> read = kv.get(Bytes.of(key));
        if (read.isEmpty() || !Arrays.equals(read.get().value().toByteArray(), value)) {
            throw new IllegalStateException("etcdkit read back " + read + " after a put");
        }
    }

    @Override
    public void close() {
        client.close();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
