package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Open/close cycles leave no thread, socket or other file descriptor behind. */
@SuppressWarnings("try") // subscribers opened in try-with-resources only to be closed
class ZmqLeakTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Topic<String> T = Topic.of("leak", Codecs.text());
    // Slack for what the JVM itself may open meanwhile (a jar, a JIT or GC thread); a leak per cycle is far more.
    static final long FD_SLACK = 16;
    static final long THREAD_SLACK = 4;

    @Test
    void aThousandDirectOpenCloseCyclesLeakNothing() throws Exception {
        cycles(20, null); // warm-up: classes loaded, jars open
        // A flow subscription cancelled by an earlier test in this JVM stops asynchronously; let it finish.
        assertThat(LeakCounts.awaitModuleThreadsAtMost(0, WAIT)).as("no publisher or subscriber open between tests")
                .isTrue();
        long threads = LeakCounts.allThreads();
        long fds = LeakCounts.openFileDescriptors();
        long start = System.nanoTime();
        cycles(1000, null);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(LeakCounts.awaitModuleThreadsAtMost(0, WAIT)).as("module threads after 1,000 cycles: %d",
                LeakCounts.moduleThreads()).isTrue();
        assertThat(LeakCounts.awaitAtMost(LeakCounts::allThreads, threads + THREAD_SLACK, WAIT))
                .as("threads before %d, after %d", threads, LeakCounts.allThreads()).isTrue();
        assertThat(LeakCounts.awaitAtMost(LeakCounts::openFileDescriptors, fds + FD_SLACK, WAIT))
                .as("file descriptors before %d, after %d", fds, LeakCounts.openFileDescriptors()).isTrue();
        System.out.printf("ZMQ LEAK: 1000 direct pub+sub open/connect/close cycles in %d ms; threads %d -> %d, "
                + "fds %d -> %d%n", ms, threads, LeakCounts.allThreads(), fds, LeakCounts.openFileDescriptors());
    }

    @Test
    void registeredOpenCloseCyclesLeakNothingAndLeaveNoEntries() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "zmq-leak/");
            cycles(5, registry);
            long threads = LeakCounts.allThreads();
            long fds = LeakCounts.openFileDescriptors();
            cycles(200, registry);
            assertThat(LeakCounts.awaitModuleThreadsAtMost(0, WAIT)).isTrue();
            assertThat(LeakCounts.awaitAtMost(LeakCounts::allThreads, threads + THREAD_SLACK, WAIT))
                    .as("threads before %d, after %d", threads, LeakCounts.allThreads()).isTrue();
            assertThat(LeakCounts.awaitAtMost(LeakCounts::openFileDescriptors, fds + FD_SLACK, WAIT))
                    .as("file descriptors before %d, after %d", fds, LeakCounts.openFileDescriptors()).isTrue();
            assertThat(registry.lookup("cycling")).isEmpty();
            assertThat(client.kv().list("zmq-leak/")).isEmpty();
        }
    }

    /** Opens a publisher and a subscriber, waits until connected (every 100th: until a message arrives), closes. */
    private static void cycles(int n, ServiceRegistry registry) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            Recorder<String> rec = new Recorder<>();
            ZmqPublisher.Builder pb = ZmqPublisher.builder();
            if (registry != null) {
                pb.register(registry, "cycling");
            }
            try (ZmqPublisher pub = pb.start()) {
                ZmqSubscriber.Builder<String> sb = ZmqSubscriber.builder(T).listener(rec);
                if (registry != null) {
                    sb.discover(registry, "cycling");
                } else {
                    sb.connect(pub.address());
                }
                try (ZmqSubscriber<String> sub = sb.start()) {
                    assertThat(rec.awaitConnected(0, pub.address(), WAIT)).as("cycle %d connected", i).isTrue();
                    if (i % 100 == 0) {
                        Probe.untilReceived(pub, T, "cycle " + i, rec, WAIT);
                    }
                }
            }
        }
    }
}
