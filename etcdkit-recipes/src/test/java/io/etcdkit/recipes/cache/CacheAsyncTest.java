package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.registry.ServiceWatch;
import io.etcdkit.testing.EtcdClusterExtension;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** readyAsync / awaitRevisionAsync of CachedView and CachedValue, and ServiceWatch.ready(), against real etcd. */
class CacheAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final String CALLBACK_THREAD = "cache-async-callback";
    static CallbackThreadClient callbacks;
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        callbacks = CallbackThreadClient.open(ETCD, CALLBACK_THREAD);
        client = callbacks.client();
    }

    @AfterAll
    static void close() {
        callbacks.close();
    }

    static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    /** A client of an address where nothing listens: its caches can never become ready. */
    static EtcdClient unreachable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        return EtcdClient.builder().endpoints("http://127.0.0.1:" + port).deadline(Duration.ofSeconds(2)).build();
    }

    @Test
    void readyAndRevisionFuturesCompleteFromTheViewsEvents() throws Exception {
        client.kv().put("ca/view/a", "1");
        try (CachedView<Long> view = CachedView.open(client, "ca/view/", Codecs.longs())) {
            get(view.readyAsync());
            assertThat(view.isReady()).isTrue();
            assertThat(view.get("ca/view/a")).contains(1L);
            long rev = client.kv().put("ca/view/b", "2").revision();
            CompletableFuture<Void> reached = view.awaitRevisionAsync(rev);
            get(reached);
            assertThat(view.get("ca/view/b")).contains(2L);
            assertThat(view.revision()).isGreaterThanOrEqualTo(rev);
            long next = client.kv().put("ca/view/c", "3").revision();
            CompletableFuture<String> completedOn = view.awaitRevisionAsync(next + 1)
                    .thenApply(x -> Thread.currentThread().getName());
            assertThat(completedOn).isNotDone();
            client.kv().put("ca/view/d", "4");
            assertThat(get(completedOn)).isEqualTo(CALLBACK_THREAD);
            assertThat(view.get("ca/view/d")).contains(4L);
            assertThat(view.readyAsync()).isCompleted();
        }
    }

    @Test
    void cachedValueHasTheSameTwins() throws Exception {
        client.kv().put("ca/value", "7");
        try (CachedValue<Long> value = CachedValue.open(client, "ca/value", Codecs.longs(), -1L)) {
            get(value.readyAsync());
            assertThat(value.get()).isEqualTo(7L);
            long rev = client.kv().put("ca/value", "8").revision();
            get(value.awaitRevisionAsync(rev));
            assertThat(value.get()).isEqualTo(8L);
        }
    }

    @Test
    void closingFailsPendingFuturesWithCacheClosedException() throws Exception {
        try (CachedView<Long> view = CachedView.open(client, "ca/close/", Codecs.longs())) {
            get(view.readyAsync());
            CompletableFuture<Void> never = view.awaitRevisionAsync(Long.MAX_VALUE);
            view.close();
            assertThatThrownBy(() -> get(never)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(CacheClosedException.class).hasMessageContaining("was closed before");
            assertThatThrownBy(() -> get(view.awaitRevisionAsync(Long.MAX_VALUE)))
                    .hasCauseInstanceOf(CacheClosedException.class);
        }
        try (EtcdClient dead = unreachable()) {
            CachedValue<Long> value = CachedValue.open(dead, "ca/dead", Codecs.longs(), -1L);
            CompletableFuture<Void> ready = value.readyAsync();
            ServiceWatch watch = ServiceRegistry.of(dead).watch("ca-dead");
            CompletableFuture<Void> watchReady = watch.ready();
            assertThat(ready).isNotDone();
            assertThat(watchReady).isNotDone();
            value.close();
            watch.close();
            assertThatThrownBy(() -> get(ready)).hasCauseInstanceOf(CacheClosedException.class)
                    .hasMessageContaining("not ready yet");
            assertThatThrownBy(() -> get(watchReady)).hasCauseInstanceOf(CacheClosedException.class);
        }
    }

    @Test
    void serviceWatchReadyCompletesWhenTheFirstSnapshotIsApplied() throws Exception {
        ServiceRegistry registry = ServiceRegistry.of(client, "ca-reg");
        try (var r = registry.register("svc", ServiceInstance.of("i-1", "h:1"));
                ServiceWatch watch = registry.watch("svc")) {
            get(watch.ready());
            assertThat(watch.instances()).extracting(ServiceInstance::id).containsExactly("i-1");
        }
    }
}
