package io.etcdkit.recipes.registry;

import io.etcdkit.EtcdClient;
import java.time.Duration;
import java.util.List;

/**
 * The child process of {@link RegistryCrashTest}: registers one instance and prints {@code READY}, then waits to be
 * killed. Arguments: endpoints (comma-separated), service name, instance id, TTL in seconds.
 */
public final class RegistrantProcess {
    private RegistrantProcess() {
    }

    /** Registers and waits forever. */
    public static void main(String[] args) throws InterruptedException {
        EtcdClient client = EtcdClient.builder().endpoints(List.of(args[0].split(","))).build();
        Registration registration = ServiceRegistry.of(client).register(args[1],
                ServiceInstance.of(args[2], "127.0.0.1:9"), Duration.ofSeconds(Long.parseLong(args[3])));
        System.out.println("READY lease=" + Long.toHexString(registration.leaseId()));
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until killed with SIGKILL: no revoke, no goodbye
    }
}
