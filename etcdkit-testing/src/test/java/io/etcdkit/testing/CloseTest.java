package io.etcdkit.testing;

import static io.etcdkit.testing.GatewayHttp.alive;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class CloseTest {

    @Test
    void closeKillsEveryMemberIncludingPausedOnesAndDeletesAllDirectories() {
        EtcdCluster cluster = EtcdCluster.builder().members(3).tls(true).build();
        cluster.start();
        List<EtcdMember> members = cluster.members();
        List<Long> pids = members.stream().map(EtcdMember::pid).collect(Collectors.toList());
        List<Path> dirs = members.stream().map(m -> m.dataDir().getParent()).collect(Collectors.toList());
        Path tlsDir = cluster.tlsFiles().orElseThrow().caCert().getParent();
        assertThat(pids).allMatch(GatewayHttp::alive);
        assertThat(dirs).allMatch(Files::isDirectory);
        assertThat(tlsDir).isDirectory();
        cluster.member(1).pause();
        cluster.member(2).kill();

        cluster.close();

        assertThat(pids).noneMatch(GatewayHttp::alive);
        assertThat(members).noneMatch(EtcdMember::isRunning).noneMatch(EtcdMember::isPaused);
        assertThat(dirs).noneMatch(Files::exists);
        assertThat(members).allSatisfy(m -> assertThat(m.dataDir()).doesNotExist());
        assertThat(tlsDir).doesNotExist();

        cluster.close(); // idempotent
        assertThat(cluster.clientEndpoints()).hasSize(3); // still describes what it was
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> members.get(0).start()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(cluster::leader).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closeOfANeverStartedClusterIsHarmless() {
        EtcdCluster cluster = EtcdCluster.builder().build();
        cluster.close();
        assertThatThrownBy(cluster::start).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void tryWithResourcesClosesTheCluster() {
        long pid;
        Path dir;
        try (EtcdCluster cluster = EtcdCluster.builder().build()) {
            cluster.start();
            pid = cluster.member(0).pid();
            dir = cluster.member(0).dataDir();
            assertThat(alive(pid)).isTrue();
        }
        assertThat(alive(pid)).isFalse();
        assertThat(dir).doesNotExist();
    }
}
