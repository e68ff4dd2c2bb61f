package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.InstanceProvider;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.registry.ServiceWatch;
import io.etcdkit.recipes.registry.ServiceWatchListener;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Service registry and discovery: two instances register under leases, a watcher follows the service, a
 * round-robin provider picks instances and skips one marked down; a closed registration disappears at once, and
 * a crashed one (its client closed without revoking) within its TTL. Uses the prefix {@code examples/services/}.
 */
public final class ServiceDiscoveryExample {
    static final String ROOT = "examples/services/";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private ServiceDiscoveryExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        BlockingQueue<String> changes = new LinkedBlockingQueue<>();
        try (EtcdClient client = ExampleClient.connect(args)) {
            ServiceRegistry registry = ServiceRegistry.of(client, ROOT);
            try (ServiceWatch orders = registry.watch("orders")) {
                orders.awaitReady(WAIT);
                orders.addListener(new ServiceWatchListener() {
                    @Override
                    public void added(ServiceInstance instance) {
                        changes.add("added " + instance.id() + " at " + instance.address());
                    }

                    @Override
                    public void removed(ServiceInstance instance) {
                        changes.add("removed " + instance.id());
                    }
                });

                Registration one = registry.register("orders",
                        new ServiceInstance("orders-1", "10.0.0.1:8080", Map.of("zone", "a")), Duration.ofSeconds(5));
                Registration two = registry.register("orders", ServiceInstance.of("orders-2", "10.0.0.2:8080"),
                        Duration.ofSeconds(5));
                out.println("watch: " + next(changes));
                out.println("watch: " + next(changes));
                out.println("lookup: " + ids(registry.lookup("orders")));

                InstanceProvider provider = InstanceProvider.roundRobin(orders);
                out.println("round robin: " + picks(provider, 4));
                ServiceInstance first = orders.instance("orders-1").orElseThrow();
                provider.markDown(first, Duration.ofSeconds(30)); // say a call to it failed
                out.println("orders-1 marked down: " + picks(provider, 2));

                two.close(); // deregisters: the entry is deleted at once
                out.println("watch: " + next(changes));
                out.println("nothing available: " + provider.next().isEmpty());
                provider.markUp(first);
                out.println("orders-1 marked up: " + picks(provider, 1));
                one.close();
                out.println("watch: " + next(changes));

                // A process that dies without deregistering: its entry stays until its lease expires.
                Duration ttl = Duration.ofSeconds(3);
                EtcdClient doomed = ExampleClient.connect(args);
                ServiceRegistry.of(doomed, ROOT).register("orders", ServiceInstance.of("orders-3", "10.0.0.3:8080"),
                        ttl);
                out.println("watch: " + next(changes));
                long crashed = System.nanoTime();
                doomed.close(); // stops the keep-alive without revoking, as a crash would
                out.println("watch: " + next(changes) + " after the TTL of " + ttl.toSeconds() + " s (took "
                        + (System.nanoTime() - crashed) / 1_000_000 + " ms)");
            }
        }
    }

    private static List<String> picks(InstanceProvider provider, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(provider.next().map(ServiceInstance::id).orElse("(none)"));
        }
        return ids;
    }

    private static List<String> ids(List<ServiceInstance> instances) {
        return instances.stream().map(ServiceInstance::id).toList();
    }

    private static String next(BlockingQueue<String> changes) throws InterruptedException {
        String change = changes.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (change == null) {
            throw new IllegalStateException("the watch reported no change within " + WAIT);
        }
        return change;
    }
}
