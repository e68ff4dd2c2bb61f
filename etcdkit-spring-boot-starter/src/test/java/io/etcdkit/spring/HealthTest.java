package io.etcdkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.spring.health.EtcdHealthIndicator;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

/** The etcd health indicator of a real context follows the cluster: members stopped, leader lost, alarm raised. */
class HealthTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void healthGoesDownWhenMembersStopAndUpWhenTheyReturn() {
        try (EtcdCluster cluster = EtcdCluster.builder().members(3).build()) {
            cluster.start();
            try (ConfigurableApplicationContext app = Apps.start(WebApplicationType.NONE, Map.of(
                    "etcdkit.endpoints", cluster.clientEndpointsString(),
                    "etcdkit.health.timeout", "1s",
                    "etcdkit.discovery.register", "false"))) {
                EtcdHealthIndicator indicator = app.getBean(EtcdHealthIndicator.class);
                Health up = indicator.health();
                assertThat(up.getStatus()).isEqualTo(Status.UP);
                assertThat(up.getDetails()).containsKeys("leader", "members");
                assertThat((Map<?, ?>) up.getDetails().get("members")).hasSize(3);

                cluster.member(1).stop();
                cluster.member(2).stop();
                Health noLeader = awaitHealth(indicator, h -> h.getStatus().equals(Status.DOWN)
                        && String.valueOf(h.getDetails().get("reason")).contains("no leader"));
                assertThat(noLeader.getDetails()).doesNotContainKey("leader");

                cluster.member(0).stop();
                long start = System.nanoTime();
                Health noMember = indicator.health();
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertThat(noMember.getStatus()).isEqualTo(Status.DOWN);
                assertThat(noMember.getDetails().get("reason").toString()).contains("no member answered");
                assertThat(millis).as("a check never hangs").isLessThan(5_000);

                for (EtcdMember member : cluster.members()) {
                    member.start();
                }
                cluster.awaitHealthy(WAIT);
                Health back = awaitStatus(indicator, Status.UP);
                assertThat(back.getDetails()).containsKey("leader");
            }
        }
    }

    @Test
    void healthIsDownWhileANoSpaceAlarmIsRaised() {
        try (EtcdCluster cluster = EtcdCluster.builder().extraArgs("--quota-backend-bytes=" + 4 * 1024 * 1024)
                .build()) {
            cluster.start();
            try (ConfigurableApplicationContext app = Apps.start(WebApplicationType.NONE, Map.of(
                    "etcdkit.endpoints", cluster.clientEndpointsString(),
                    "etcdkit.discovery.register", "false"))) {
                EtcdHealthIndicator indicator = app.getBean(EtcdHealthIndicator.class);
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
                EtcdClient client = app.getBean(EtcdClient.class);
                String big = "x".repeat(512 * 1024);
                try {
                    for (int i = 0; i < 64; i++) {
                        client.kv().put("fill/" + i, big);
                    }
                } catch (RuntimeException expected) {
                    // "database space exceeded": the NOSPACE alarm is raised
                }
                Health down = awaitStatus(indicator, Status.DOWN);
                assertThat(down.getDetails().get("reason").toString()).contains("NOSPACE");
            }
        }
    }

    private static Health awaitStatus(EtcdHealthIndicator indicator, Status status) {
        return awaitHealth(indicator, h -> h.getStatus().equals(status));
    }

    private static Health awaitHealth(EtcdHealthIndicator indicator, Predicate<Health> condition) {
        AtomicReference<Health> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            last.set(indicator.health());
            return condition.test(last.get());
        });
        return last.get();
    }
}
