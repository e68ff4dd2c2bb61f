package io.etcdkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.InvalidConfigurationException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Endpoint auto-sync against a real 3-member cluster: a client given member 0 only learns the other two from the
 * member list and keeps working after member 0 is removed from the cluster and stopped; a client without
 * auto-sync does not.
 */
class EndpointAutoSyncTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    void aClientStartedWithOneEndpointSurvivesThatMembersRemoval() {
        EtcdMember first = ETCD.cluster().member(0);
        String m1 = ETCD.cluster().member(1).clientEndpoint();
        String m2 = ETCD.cluster().member(2).clientEndpoint();
        try (EtcdClient synced = EtcdClient.builder().endpoints(first.clientEndpoint())
                        .autoSyncInterval(Duration.ofSeconds(1)).deadline(Duration.ofSeconds(5)).build();
                EtcdClient fixed = EtcdClient.builder().endpoints(first.clientEndpoint())
                        .deadline(Duration.ofSeconds(2)).build()) {
            await("members 1 and 2 learnt from the member list").atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertThat(synced.endpoints())
                            .containsExactlyInAnyOrderElementsOf(ETCD.clientEndpoints()));
            // status(endpoint) only answers for endpoints the client has: members 1 and 2 come from the sync.
            assertThat(synced.maintenance().status(m1).isLeader() || synced.maintenance().status(m2).isLeader()
                    || synced.maintenance().status(first.clientEndpoint()).isLeader()).isTrue();
            assertThat(fixed.endpoints()).containsExactly(first.clientEndpoint());
            assertThatThrownBy(() -> fixed.maintenance().status(m1)).isInstanceOf(InvalidArgumentException.class);
            synced.kv().put("autosync/before", "1");

            long firstId = synced.cluster().members().stream().filter(m -> m.name().equals(first.name()))
                    .findFirst().orElseThrow().id();
            // etcd refuses a member change until every voter has been connected for 5 s ("unhealthy cluster")
            await("member 0 removed once the cluster is healthy").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).ignoreExceptionsInstanceOf(EtcdException.class).until(() -> {
                        if (synced.cluster().members().stream().anyMatch(m -> m.id() == firstId)) {
                            synced.cluster().removeMember(firstId);
                        }
                        return synced.cluster().members().stream().noneMatch(m -> m.id() == firstId);
                    });
            first.kill();

            await("writes and reads through the remaining members").atMost(Duration.ofSeconds(20))
                    .ignoreExceptionsInstanceOf(EtcdException.class).untilAsserted(() -> {
                        synced.kv().put("autosync/after", "2");
                        assertThat(synced.kv().get("autosync/before").orElseThrow().valueAsString())
                                .isEqualTo("1");
                    });
            for (int i = 0; i < 20; i++) {
                synced.kv().put("autosync/k" + i, "v" + i);
                assertThat(synced.kv().get("autosync/k" + i).orElseThrow().valueAsString()).isEqualTo("v" + i);
            }
            await("member 0 dropped from the client's endpoints").atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(synced.endpoints()).containsExactlyInAnyOrder(m1, m2));
            assertThatThrownBy(() -> synced.maintenance().status(first.clientEndpoint()))
                    .isInstanceOf(InvalidArgumentException.class);
            assertThat(synced.cluster().members()).hasSize(2);
            // Without auto-sync the client only knew member 0, which is gone.
            assertThatThrownBy(() -> fixed.kv().get("autosync/before")).isInstanceOf(EtcdException.class);
        }
    }

    @Test
    void anIntervalBelowOneSecondIsRefused() {
        assertThatThrownBy(() -> EtcdClient.builder().autoSyncInterval(Duration.ofMillis(100)))
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("autoSyncInterval");
        assertThatThrownBy(() -> EtcdClient.builder().autoSyncInterval(null))
                .isInstanceOf(InvalidConfigurationException.class);
    }
}
