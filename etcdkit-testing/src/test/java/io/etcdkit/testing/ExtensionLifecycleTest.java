package io.etcdkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Runs {@link SampleTests} through the JUnit engine and checks what the extension did before and after. */
class ExtensionLifecycleTest {

    @Test
    void theClusterRunsForTheWholeClassIncludingNestedClassesAndIsClosedAfterwards() {
        SampleTests.SEEN.clear();

        EngineTestKit.engine("junit-jupiter").selectors(selectClass(SampleTests.class)).execute()
                .testEvents().assertStatistics(stats -> stats.started(3).succeeded(3).failed(0));

        assertThat(SampleTests.SEEN).hasSize(3).containsOnly(SampleTests.SEEN.get(0));
        EtcdCluster cluster = SampleTests.SEEN.get(0);
        assertThat(cluster.members()).noneMatch(EtcdMember::isRunning);
        assertThat(cluster.member(0).dataDir().getParent()).matches(p -> !Files.exists(p));
        assertThat(GatewayHttp.alive(cluster.member(0).pid())).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(SampleTests.ETCD::cluster)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("static field");
    }

    /** Not run by surefire on its own (nested class names contain '$'); driven by the test above. */
    static class SampleTests {

        static final List<EtcdCluster> SEEN = new CopyOnWriteArrayList<>();

        @RegisterExtension
        static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

        @Test
        void parameterAndAccessorGiveTheRunningCluster(EtcdCluster cluster) {
            assertThat(cluster).isSameAs(ETCD.cluster());
            assertThat(GatewayHttp.healthy(GatewayHttp.plain(), ETCD.clientEndpoints().get(0))).isTrue();
            SEEN.add(cluster);
        }

        @Test
        void theSameClusterServesEveryTest() {
            assertThat(ETCD.clientEndpointsString()).isEqualTo(ETCD.cluster().clientEndpointsString());
            SEEN.add(ETCD.cluster());
        }

        @Nested
        class Inner {
            @Test
            void nestedClassesShareTheCluster(EtcdCluster cluster) {
                assertThat(cluster.member(0).isRunning()).isTrue();
                SEEN.add(cluster);
            }
        }
    }
}
