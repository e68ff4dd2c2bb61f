package io.etcdkit.recipes.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registry, discovery and provider strategies against a real member. */
class ServiceRegistryTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).attemptTimeout(Duration.ofSeconds(1))
                .deadline(Duration.ofSeconds(3)).build();
    }

    /** Polls {@code condition} every 10 ms for at most {@code timeout}; the elapsed time, or -1 on timeout. */
    static long awaitMillis(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (condition.getAsBoolean()) {
                return (System.nanoTime() - start) / 1_000_000;
            }
            Thread.sleep(10);
        }
        return condition.getAsBoolean() ? (System.nanoTime() - start) / 1_000_000 : -1;
    }

    static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    @Test
    void registerThenLookupFindsIt() {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "reg-lookup");
            ServiceInstance a = new ServiceInstance("a-1", "10.0.0.1:80", Map.of("zone", "z1"));
            try (Registration r = registry.register("orders", a)) {
                assertThat(r.state()).isEqualTo(RegistrationState.REGISTERED);
                assertThat(r.key()).isEqualTo("reg-lookup/orders/a-1");
                assertThat(registry.lookup("orders")).containsExactly(a);
                assertThat(client.kv().get("reg-lookup/orders/a-1")).get()
                        .satisfies(kv -> assertThat(kv.lease()).isEqualTo(r.leaseId()));
                assertThat(registry.lookup("payments")).isEmpty();
            }
            assertThatThrownBy(() -> registry.lookup("a/b")).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void closeRemovesTheEntryAtOnceAndAWatcherDropsIt() throws Exception {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client);
            try (ServiceWatch watch = registry.watch("close-svc")) {
                assertThat(watch.awaitReady(Duration.ofSeconds(5))).isTrue();
                List<String> removed = new CopyOnWriteArrayList<>();
                watch.addListener(new ServiceWatchListener() {
                    @Override
                    public void removed(ServiceInstance instance) {
                        removed.add(instance.id());
                    }
                });
                Registration r = registry.register("close-svc", ServiceInstance.of("c-1", "h:1"));
                assertThat(awaitMillis(Duration.ofSeconds(5), () -> watch.instances().size() == 1)).isNotNegative();
                long start = System.nanoTime();
                r.close();
                assertThat(registry.lookup("close-svc")).as("gone right after close returns").isEmpty();
                long watcherMs = awaitMillis(Duration.ofSeconds(1), () -> watch.instances().isEmpty());
                System.out.printf("close -> watcher dropped the instance after %d ms%n",
                        (System.nanoTime() - start) / 1_000_000);
                assertThat(watcherMs).as("watcher drops it within 1 s").isNotNegative();
                assertThat(removed).containsExactly("c-1");
                assertThat(r.state()).isEqualTo(RegistrationState.CLOSED);
                r.close(); // idempotent
                assertThat(r.state()).isEqualTo(RegistrationState.CLOSED);
            }
        }
    }

    @Test
    void aRegistrationWhoseLeaseIsRevokedBySomeoneElseReRegistersItself() throws Exception {
        try (EtcdClient client = client(); EtcdClient other = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client);
            try (Registration r = registry.register("revoked-svc", ServiceInstance.of("r-1", "h:1"),
                    Duration.ofSeconds(5))) {
                List<String> changes = new CopyOnWriteArrayList<>();
                r.addListener((was, now, why) -> changes.add(was + "->" + now));
                r.update(new ServiceInstance("r-1", "h:2", Map.of("v", "2")));
                long oldLease = r.leaseId();
                other.leases().revoke(oldLease);
                assertThat(awaitMillis(Duration.ofSeconds(10),
                        () -> r.reRegistrations() == 1 && r.state() == RegistrationState.REGISTERED)).isNotNegative();
                assertThat(r.leaseId()).isNotEqualTo(oldLease);
                assertThat(changes).containsSubsequence("REGISTERED->REGISTERED", "REGISTERED->REREGISTERING",
                        "REREGISTERING->REGISTERED");
                // The latest data was written again, under the new lease.
                assertThat(registry.lookup("revoked-svc"))
                        .containsExactly(new ServiceInstance("r-1", "h:2", Map.of("v", "2")));
                assertThat(client.kv().get(r.key()).orElseThrow().lease()).isEqualTo(r.leaseId());
                assertThatThrownBy(() -> r.update(ServiceInstance.of("other-id", "h:3")))
                        .isInstanceOf(InvalidArgumentException.class);
            }
            assertThat(ServiceRegistry.of(other).lookup("revoked-svc")).isEmpty();
        }
    }

    @Test
    void theWatchFollowsAddsRemovesAndUpdates() throws Exception {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "reg-follow/");
            Registration pre = registry.register("svc", ServiceInstance.of("a", "h:1"));
            try (ServiceWatch watch = registry.watch("svc")) {
                assertThat(watch.awaitReady(Duration.ofSeconds(5))).isTrue();
                assertThat(ids(watch.instances())).containsExactly("a");
                List<String> events = new CopyOnWriteArrayList<>();
                watch.addListener(new ServiceWatchListener() {
                    @Override
                    public void added(ServiceInstance i) {
                        events.add("added " + i.id() + " " + i.address());
                    }

                    @Override
                    public void removed(ServiceInstance i) {
                        events.add("removed " + i.id());
                    }

                    @Override
                    public void changed(ServiceInstance was, ServiceInstance now) {
                        events.add("changed " + now.id() + " " + was.address() + "->" + now.address());
                    }
                });
                Registration b = registry.register("svc", ServiceInstance.of("b", "h:2"));
                assertThat(awaitMillis(Duration.ofSeconds(5), () -> watch.instances().size() == 2)).isNotNegative();
                pre.update(new ServiceInstance("a", "h:9", Map.of("k", "v")));
                assertThat(awaitMillis(Duration.ofSeconds(5),
                        () -> watch.instance("a").map(i -> i.address().equals("h:9")).orElse(false))).isNotNegative();
                assertThat(watch.instance("a").orElseThrow().metadata()).containsEntry("k", "v");
                pre.close();
                assertThat(awaitMillis(Duration.ofSeconds(5), () -> ids(watch.instances()).equals(List.of("b"))))
                        .isNotNegative();
                // A malformed entry is ignored, not fatal.
                client.kv().put("reg-follow/svc/junk", "not json");
                b.close();
                assertThat(awaitMillis(Duration.ofSeconds(5), () -> watch.instances().isEmpty())).isNotNegative();
                assertThat(events).containsExactly("added a h:1", "added b h:2", "changed a h:1->h:9", "removed a",
                        "removed b");
                assertThat(registry.lookup("svc")).isEmpty();
                client.kv().delete(io.etcdkit.kv.Delete.key("reg-follow/svc/junk"));
            }
        }
    }

    @Tag("timing") // a wall-clock bound: reported, never fails the build (docs/testing.md)
    @Test
    void aCrashedRegistrantDisappearsFromAWatcherWithinTheTtl() throws Exception {
        Duration ttl = Duration.ofSeconds(3);
        try (EtcdClient watcherClient = client()) {
            ServiceRegistry watching = ServiceRegistry.of(watcherClient);
            try (ServiceWatch watch = watching.watch("crash-svc")) {
                assertThat(watch.awaitReady(Duration.ofSeconds(5))).isTrue();
                EtcdClient crashing = client();
                Registration r = ServiceRegistry.of(crashing).register("crash-svc",
                        ServiceInstance.of("x-1", "h:1"), ttl);
                assertThat(awaitMillis(Duration.ofSeconds(5), () -> watch.instances().size() == 1)).isNotNegative();
                long start = System.nanoTime();
                crashing.close(); // the process "dies": no revoke
                long goneMs = awaitMillis(ttl.plusSeconds(3), () -> watch.instances().isEmpty());
                System.out.printf("crashed registrant (TTL %d s) disappeared from the watcher after %d ms%n",
                        ttl.toSeconds(), goneMs < 0 ? -1 : (System.nanoTime() - start) / 1_000_000);
                assertThat(goneMs).isNotNegative().isLessThanOrEqualTo(ttl.toMillis() + 1000);
                assertThat(awaitMillis(Duration.ofSeconds(2), () -> r.state() == RegistrationState.CLOSED))
                        .isNotNegative();
                r.close(); // harmless after the client is gone
            }
        }
    }

    @Test
    void roundRobinCyclesThroughEveryInstance() throws Exception {
        try (EtcdClient client = client(); Fixture f = new Fixture(client, "rr", 3)) {
            InstanceProvider p = InstanceProvider.roundRobin(f.watch);
            List<String> picks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                picks.add(p.next().orElseThrow().id());
            }
            assertThat(picks.subList(0, 3)).containsExactlyInAnyOrder("i0", "i1", "i2");
            assertThat(picks.subList(3, 6)).isEqualTo(picks.subList(0, 3));
        }
    }

    @Test
    void stickyStaysOnOneInstanceUntilItIsDown() throws Exception {
        try (EtcdClient client = client(); Fixture f = new Fixture(client, "sticky", 3)) {
            InstanceProvider p = InstanceProvider.sticky(f.watch);
            ServiceInstance first = p.next().orElseThrow();
            for (int i = 0; i < 20; i++) {
                assertThat(p.next()).contains(first);
            }
            p.markDown(first, Duration.ofMinutes(1));
            ServiceInstance second = p.next().orElseThrow();
            assertThat(second.id()).isNotEqualTo(first.id());
            for (int i = 0; i < 20; i++) {
                assertThat(p.next()).contains(second);
            }
            // Its instance leaving the service moves it on too.
            f.registrations.stream().filter(r -> r.instance().id().equals(second.id())).findFirst().orElseThrow()
                    .close();
            assertThat(awaitMillis(Duration.ofSeconds(5), () -> f.watch.instances().size() == 2)).isNotNegative();
            ServiceInstance third = p.next().orElseThrow();
            assertThat(third.id()).isNotIn(first.id(), second.id());
        }
    }

    @Test
    void markDownSkipsAnInstanceForAWhile() throws Exception {
        try (EtcdClient client = client(); Fixture f = new Fixture(client, "down", 3)) {
            for (InstanceProvider.Strategy s : InstanceProvider.Strategy.values()) {
                InstanceProvider p = InstanceProvider.of(f.watch, s);
                ServiceInstance bad = f.watch.instance("i1").orElseThrow();
                p.markDown(bad, Duration.ofMillis(300));
                assertThat(p.isMarkedDown(bad)).isTrue();
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < 60; i++) {
                    seen.add(p.next().orElseThrow().id());
                }
                assertThat(seen).as(s.name()).doesNotContain("i1");
                if (s != InstanceProvider.Strategy.STICKY) {
                    assertThat(seen).as(s.name()).containsExactlyInAnyOrder("i0", "i2");
                }
                for (ServiceInstance i : f.watch.instances()) {
                    p.markDown(i, Duration.ofMinutes(1));
                }
                assertThat(p.next()).as("all down").isEmpty();
                p.markUp(f.watch.instance("i0").orElseThrow());
                assertThat(p.next().orElseThrow().id()).isEqualTo("i0");
            }
            // A mark expires by itself.
            InstanceProvider p = InstanceProvider.roundRobin(f.watch);
            ServiceInstance bad = f.watch.instance("i2").orElseThrow();
            p.markDown(bad, Duration.ofMillis(200));
            assertThat(awaitMillis(Duration.ofSeconds(2), () -> !p.isMarkedDown(bad))).isNotNegative();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                seen.add(p.next().orElseThrow().id());
            }
            assertThat(seen).containsExactlyInAnyOrder("i0", "i1", "i2");
        }
    }

    /** {@code n} registered instances i0..i(n-1) of one service and a ready watch of it. */
    static final class Fixture implements AutoCloseable {
        final List<Registration> registrations = new ArrayList<>();
        final ServiceWatch watch;

        Fixture(EtcdClient client, String name, int n) throws InterruptedException {
            ServiceRegistry registry = ServiceRegistry.of(client, "reg-fixture/");
            for (int i = 0; i < n; i++) {
                registrations.add(registry.register(name, ServiceInstance.of("i" + i, "h:" + i)));
            }
            watch = registry.watch(name);
            assertThat(watch.awaitReady(Duration.ofSeconds(5))).isTrue();
            assertThat(watch.instances()).hasSize(n);
        }

        @Override
        public void close() {
            watch.close();
            registrations.forEach(Registration::close);
        }
    }
}
