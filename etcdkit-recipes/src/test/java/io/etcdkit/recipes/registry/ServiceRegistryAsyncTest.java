package io.etcdkit.recipes.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.RequestTooLargeException;
import io.etcdkit.recipes.CallbackThreadClient;
import io.etcdkit.recipes.HeldExecutor;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link ServiceRegistry#registerAsync} and {@link ServiceRegistry#lookupAsync} against a real member. */
class ServiceRegistryAsyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void registerAsyncWritesTheEntryAndLookupAsyncFindsItOnTheCallbackExecutor() throws Exception {
        try (CallbackThreadClient callbacks = CallbackThreadClient.open(ETCD, "registry-async-callback")) {
            EtcdClient client = callbacks.client();
            ServiceRegistry registry = ServiceRegistry.of(client, "async-services");
            Registration r = registry.registerAsync("orders", ServiceInstance.of("orders-1", "10.0.0.7:8080"))
                    .get(20, TimeUnit.SECONDS);
            assertThat(r.state()).isEqualTo(RegistrationState.REGISTERED);
            assertThat(client.kv().get("async-services/orders/orders-1")).isPresent();
            HeldExecutor held = HeldExecutor.hold(callbacks.executor()); // completions queue behind it
            CompletableFuture<String> completedOn = registry.lookupAsync("orders").thenApply(found -> {
                assertThat(found).extracting(ServiceInstance::address).containsExactly("10.0.0.7:8080");
                return Thread.currentThread().getName();
            });
            held.release();
            String thread = completedOn.get(20, TimeUnit.SECONDS);
            assertThat(thread).isEqualTo("registry-async-callback");
            r.closeAsync().get(20, TimeUnit.SECONDS);
            assertThat(r.state()).isEqualTo(RegistrationState.CLOSED);
            assertThat(registry.lookupAsync("orders").get(20, TimeUnit.SECONDS)).as("revoked at once").isEmpty();
            r.closeAsync().get(5, TimeUnit.SECONDS); // idempotent
        }
    }

    @Test
    void lookupAsyncReadsEveryPageInIdOrder() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "paged-services");
            int n = 2_300; // three pages of 1,000
            List<String> expected = new ArrayList<>();
            Map<Bytes, Bytes> entries = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                String id = String.format("w%05d", i);
                expected.add(id);
                entries.put(Bytes.of("paged-services/workers/" + id),
                        Bytes.of("{\"id\":\"" + id + "\",\"address\":\"10.1.0.1:" + (1000 + i) + "\",\"metadata\":{}}"));
            }
            assertThat(client.kv().bulkLoader().load(entries)).isEqualTo(n);
            List<ServiceInstance> found = registry.lookupAsync("workers").get(30, TimeUnit.SECONDS);
            assertThat(found).extracting(ServiceInstance::id).containsExactlyElementsOf(expected);
            assertThat(found).isEqualTo(registry.lookup("workers"));
        }
    }

    @Test
    void aFailedWriteFailsTheFutureTypedAndRevokesTheSession() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "big-services");
            List<Long> leasesBefore = client.leases().list();
            ServiceInstance huge = new ServiceInstance("big-1", "10.0.0.9:1", Map.of("blob", "x".repeat(3 << 20)));
            assertThat(registry.registerAsync("big", huge)).failsWithin(Duration.ofSeconds(20))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(RequestTooLargeException.class);
            org.awaitility.Awaitility.await("the session's lease is revoked").atMost(Duration.ofSeconds(10))
                    .until(() -> client.leases().list().equals(leasesBefore));
            assertThat(client.kv().exists("big-services/big/big-1")).isFalse();
        }
    }

    @Test
    void updateAsyncWritesTheNewDataAndRefusesAnotherIdOrAClosedRegistration() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "update-services");
            Registration r = registry.register("api", ServiceInstance.of("api-1", "10.0.0.1:80"));
            ServiceInstance moved = new ServiceInstance("api-1", "10.0.0.2:81", Map.of("zone", "z2"));
            r.updateAsync(moved).get(20, TimeUnit.SECONDS);
            assertThat(registry.lookup("api")).containsExactly(moved);
            assertThat(r.instance()).isEqualTo(moved);
            assertThat(r.updateAsync(ServiceInstance.of("api-2", "h:1"))).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(io.etcdkit.InvalidArgumentException.class).withMessageContaining("instance id");
            r.close();
            assertThat(r.updateAsync(moved)).failsWithin(Duration.ofSeconds(5))
                    .withThrowableOfType(ExecutionException.class).havingCause()
                    .isInstanceOf(IllegalStateException.class).withMessageContaining("is closed");
            assertThat(registry.lookup("api")).isEmpty();
        }
    }
}
