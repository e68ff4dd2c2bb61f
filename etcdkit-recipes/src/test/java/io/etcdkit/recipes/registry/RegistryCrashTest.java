package io.etcdkit.recipes.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.testing.ChildJvm;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A registrant that really crashes: a child JVM registers an instance (TTL 3 s) and is killed with SIGKILL, so
 * nothing revokes its lease. A watcher in this JVM must drop the instance once etcd expires the lease.
 */
class RegistryCrashTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration TTL = Duration.ofSeconds(3);
    static final Duration MARGIN = Duration.ofSeconds(5);

    @Test
    void aKilledRegistrantProcessDisappearsFromAWatcherWithinTheTtl() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
             ServiceWatch watch = ServiceRegistry.of(client).watch("crash-proc")) {
            assertThat(watch.awaitReady(Duration.ofSeconds(10))).isTrue();
            try (ChildJvm jvm = startRegistrant("crash-proc", "child-1")) {
                Process child = jvm.process();
                assertThat(jvm.ready().get(60, TimeUnit.SECONDS)).as("child output: %s", jvm.output())
                        .startsWith("READY");
                assertThat(ServiceRegistryTest.awaitMillis(Duration.ofSeconds(10),
                        () -> watch.instance("child-1").isPresent())).as("the watcher sees the child").isNotNegative();

                long killedAt = System.nanoTime();
                child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no revoke
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
                long gone = ServiceRegistryTest.awaitMillis(TTL.plus(MARGIN), () -> watch.instance("child-1").isEmpty());
                long goneMs = (System.nanoTime() - killedAt) / 1_000_000;
                System.out.printf("REGISTRY CRASH: gone after %d ms (TTL %d s, child killed with SIGKILL, exit %d)%n",
                        gone < 0 ? -1 : goneMs, TTL.toSeconds(), child.exitValue());
                assertThat(gone).as("gone within TTL + %d s", MARGIN.toSeconds()).isNotNegative();
                assertThat(ServiceRegistry.of(client).lookup("crash-proc")).isEmpty();
            }
        }
    }

    private static ChildJvm startRegistrant(String service, String id) throws Exception {
        return ChildJvm.start(RegistrantProcess.class, ETCD.clientEndpointsString(), service, id,
                String.valueOf(TTL.toSeconds()));
    }
}
