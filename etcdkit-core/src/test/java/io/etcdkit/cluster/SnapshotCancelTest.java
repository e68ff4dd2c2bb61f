package io.etcdkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots cancelled at once, at every point of their start: none may leave its temporary file behind. A cancel
 * that reached the gRPC call before it started used to make gRPC refuse to start it, so no listener ever closed
 * and the file stayed (3 of 300 here before the fix).
 */
class SnapshotCancelTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void snapshotsCancelledWhileStartingLeaveNoFiles(@TempDir Path dir) throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            Set<Path> finished = new HashSet<>(); // completed before the cancel came: their files may stay
            for (int i = 0; i < 300; i++) {
                Path target = dir.resolve("c" + i);
                CompletableFuture<SnapshotInfo> f = client.maintenance().snapshotAsync(target);
                for (int spin = 0; spin < i % 7 * 50; spin++) {
                    Thread.onSpinWait(); // cancel a little later each time, to land at different points
                }
                if (!f.cancel(true)) {
                    finished.add(target); // on a loaded machine a small snapshot can finish before the cancel
                }
            }
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).untilAsserted(
                    () -> assertThat(files(dir)).as("files left after 300 cancelled snapshots")
                            .allMatch(finished::contains));
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
