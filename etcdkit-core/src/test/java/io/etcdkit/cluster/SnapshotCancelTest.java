package io.etcdkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Snapshots cancelled at once, at every point of their start: none may leave its temporary file behind. A cancel
 * that reached the gRPC call before it started used to make gRPC refuse to start it, so no listener ever closed
 * and the file stayed (3 of 300 here before the fix). A snapshot that finished before its cancel (a warm JVM on a
 * small database is that fast) keeps its complete file: exactly those files may remain, and no {@code .part}.
 */
class SnapshotCancelTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void snapshotsCancelledWhileStartingLeaveNoFiles(@TempDir Path dir) throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            List<Path> finished = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Path target = dir.resolve("c" + i);
                CompletableFuture<SnapshotInfo> f = client.maintenance().snapshotAsync(target);
                for (int spin = 0; spin < i % 7 * 50; spin++) {
                    Thread.onSpinWait(); // cancel a little later each time, to land at different points
                }
                if (!f.cancel(true) && !f.isCompletedExceptionally()) {
                    finished.add(target); // it completed before the cancel: its file is the snapshot
                }
            }
            Awaitility.await("only the snapshots that finished before their cancel remain")
                    .atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(files(dir)).containsExactlyInAnyOrderElementsOf(finished));
            assertThat(finished).as("most cancels land before the end").hasSizeLessThan(150);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
