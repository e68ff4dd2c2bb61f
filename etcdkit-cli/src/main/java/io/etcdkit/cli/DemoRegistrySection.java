package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.InstanceProvider;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.registry.ServiceWatch;
import io.etcdkit.recipes.registry.ServiceWatchListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/** The demo's "Service registry" section: register, look up, watch, pick round-robin, deregister at once. */
final class DemoRegistrySection {
    private final EtcdClient client;
    private final PrintWriter out;

    DemoRegistrySection(EtcdClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    void run() {
        ServiceRegistry registry = ServiceRegistry.of(client, "registry/");
        List<String> seen = new CopyOnWriteArrayList<>();
        CountDownLatch bothAdded = new CountDownLatch(2);
        CountDownLatch removed = new CountDownLatch(1);
        try (ServiceWatch watch = registry.watch("orders")) {
            watch.addListener(new ServiceWatchListener() {
                @Override
                public void added(ServiceInstance i) {
                    seen.add("added " + i.id() + " at " + i.address());
                    bothAdded.countDown();
                }

                @Override
                public void removed(ServiceInstance i) {
                    seen.add("removed " + i.id());
                    removed.countDown();
                }
            });
            try (Registration first = registry.register("orders", new ServiceInstance("orders-1", "10.0.0.1:8080",
                    Map.of("zone", "a")), Duration.ofSeconds(5))) {
                Registration second = registry.register("orders", ServiceInstance.of("orders-2", "10.0.0.2:8080"),
                        Duration.ofSeconds(5));
                out.println("registered orders-1 (zone=a) and orders-2, each under its own lease, as "
                        + first.key() + " and " + second.key());
                out.println("lookup orders -> " + registry.lookup("orders").stream()
                        .map(i -> i.id() + "@" + i.address()).toList());
                DemoTour.await(bothAdded);
                InstanceProvider roundRobin = InstanceProvider.roundRobin(watch);
                out.println("round-robin picks " + roundRobin.next().map(ServiceInstance::id).orElse("?") + ", then "
                        + roundRobin.next().map(ServiceInstance::id).orElse("?"));
                second.close();
                DemoTour.await(removed);
                out.println("closed orders-2's registration -> lease revoked, gone at once; lookup orders -> "
                        + registry.lookup("orders").stream().map(ServiceInstance::id).toList());
            }
        }
        seen.forEach(line -> out.println("watch saw: " + line));
    }
}
