package io.etcdkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class StartFailureTest {

    @Test
    void anUnknownFlagFailsTheStartWithTheLogTailAndCleansUp() {
        EtcdCluster cluster = EtcdCluster.builder().members(2).extraArgs("--no-such-flag=1").build();

        assertThatThrownBy(cluster::start).isInstanceOf(EtcdStartException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("last 40 lines of m")
                .hasMessageContaining("no-such-flag");

        List<EtcdMember> launched = cluster.launchedMembers();
        assertThat(launched).hasSize(2).noneMatch(EtcdMember::isRunning);
        assertThat(launched).allSatisfy(m -> assertThat(m.dataDir().getParent()).doesNotExist());
    }

    @Test
    void aPortTakenBeforeEtcdBindsItIsRetriedWithNewPorts() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger calls = new AtomicInteger();
            PortAllocator firstCallCollides = count -> {
                int[] ports = LoopbackPortAllocator.INSTANCE.allocate(count);
                if (calls.incrementAndGet() == 1) {
                    ports[0] = squatter.getLocalPort();
                }
                return ports;
            };
            try (EtcdCluster cluster = EtcdCluster.builder().portAllocator(firstCallCollides).build()) {
                cluster.start();

                assertThat(calls).hasValue(2);
                assertThat(cluster.clientEndpoints().get(0)).doesNotEndWith(":" + squatter.getLocalPort());
                assertThat(cluster.member(0).isRunning()).isTrue();
            }
        }
    }

    @Test
    void aPortThatStaysTakenFailsAfterThreeAttempts() throws Exception {
        try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            AtomicInteger calls = new AtomicInteger();
            PortAllocator alwaysCollides = count -> {
                calls.incrementAndGet();
                int[] ports = LoopbackPortAllocator.INSTANCE.allocate(count);
                ports[1] = squatter.getLocalPort();
                return ports;
            };
            EtcdCluster cluster = EtcdCluster.builder().portAllocator(alwaysCollides).build();

            assertThatThrownBy(cluster::start).isInstanceOf(EtcdStartException.class)
                    .hasMessageContaining("address already in use");
            assertThat(calls).hasValue(3);
            cluster.close();
        }
    }

    @Test
    void invalidOptionsAreRejectedAtBuildTime() {
        assertThatThrownBy(() -> EtcdCluster.builder().members(0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("members");
        assertThatThrownBy(() -> EtcdCluster.builder().electionTimeout(Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(100)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5 times");
        assertThatThrownBy(() -> EtcdCluster.builder().startTimeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("startTimeout");
        assertThatThrownBy(() -> EtcdClusterExtension.builder().members(-1).build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theStartTimeoutBoundsTheWait() {
        EtcdCluster cluster = EtcdCluster.builder().startTimeout(Duration.ofMillis(1)).build();
        long begin = System.nanoTime();

        assertThatThrownBy(cluster::start).isInstanceOf(EtcdStartException.class)
                .hasMessageContaining("within 1 ms").hasMessageContaining("last 40 lines of m0");

        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        assertThat(cluster.launchedMembers()).singleElement()
                .satisfies(m -> assertThat(m.isRunning()).isFalse())
                .satisfies(m -> assertThat(m.dataDir().getParent()).doesNotExist());
    }
}
