package io.etcdkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
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
        // A snapshot of this small store can finish before the cancel reaches it: then cancel(..) returns false and
        // its file rightly stays. Every snapshot whose cancel succeeded must leave nothing, not even its final file.
        Set<Path> completedBeforeCancel = new HashSet<>();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            for (int i = 0; i < 300; i++) {
                Path file = dir.resolve("c" + i);
                CompletableFuture<SnapshotInfo> f = client.maintenance().snapshotAsync(file);
                for (int spin = 0; spin < i % 7 * 50; spin++) {
                    Thread.onSpinWait(); // cancel a little later each time, to land at different points
                }
                if (!f.cancel(true)) {
                    completedBeforeCancel.add(file);
                }
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!leftBehind(dir, completedBeforeCancel).isEmpty() && System.nanoTime() - deadline < 0) {
                Thread.sleep(20);
            }
            assertThat(leftBehind(dir, completedBeforeCancel)).as("files left after 300 cancelled snapshots").isEmpty();
        }
    }

    private static List<Path> leftBehind(Path dir, Set<Path> completed) throws IOException {
        return files(dir).stream().filter(p -> !completed.contains(p)).toList();
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
