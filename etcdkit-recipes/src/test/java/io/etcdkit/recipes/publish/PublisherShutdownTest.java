package io.etcdkit.recipes.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The publisher's one-value form and its revoke on JVM shutdown (a child JVM stopped with SIGTERM). */
class PublisherShutdownTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration TTL = Duration.ofSeconds(30);

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @Test
    void publishOneValueReturnsTheRevisionItWasStoredAt() throws Exception {
        try (EtcdClient client = client();
             LeasedPublisher<String> publisher = LeasedPublisher.builder(client, Codecs.text()).build()) {
            long revision = publisher.publish("pub-one/a", "x").get(10, TimeUnit.SECONDS);
            KeyValue stored = client.kv().get("pub-one/a").orElseThrow();
            assertThat(stored.modRevision()).isEqualTo(revision);
            assertThat(stored.lease()).isEqualTo(publisher.leaseId().orElseThrow());
            assertThat(publisher.published()).isEqualTo(1);
            assertThat(publisher.lastRevision()).isEqualTo(revision);

            // puts of one key keep their order without waiting in between
            List<CompletableFuture<Long>> puts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                puts.add(publisher.publish("pub-one/b", "v" + i));
            }
            long last = 0;
            for (CompletableFuture<Long> put : puts) {
                long r = put.get(10, TimeUnit.SECONDS);
                assertThat(r).isGreaterThan(last);
                last = r;
            }
            assertThat(client.kv().get("pub-one/b").orElseThrow().valueAsString()).isEqualTo("v19");

            publisher.close();
            assertThat(client.kv().get("pub-one/a")).as("the lease was revoked").isEmpty();
            assertThatThrownBy(() -> publisher.publish("pub-one/c", "y").get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(PublishFailedException.class);
        }
    }

    @Test
    void revokeOnShutdownNeedsTheOwnLease() {
        try (EtcdClient client = client()) {
            assertThatThrownBy(() -> LeasedPublisher.builder(client, Codecs.text()).withoutLease().revokeOnShutdown()
                    .build()).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("withoutLease");
        }
    }

    @Test
    void aPublisherStoppedWithSigtermTakesItsKeysAlongAtOnce() throws Exception {
        try (EtcdClient client = client()) {
            Process child = start("pub-term/", 5, "revoke");
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                assertThat(readUntilReady(child, output).get(60, TimeUnit.SECONDS)).as("child output: %s", output)
                        .startsWith("READY");
                assertThat(client.kv().count(io.etcdkit.kv.Range.prefix("pub-term/"))).isEqualTo(5);

                long stoppedAt = System.nanoTime();
                child.destroy(); // SIGTERM: the shutdown hooks run
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                long goneMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                long keysLeft = client.kv().count(io.etcdkit.kv.Range.prefix("pub-term/"));
                System.out.printf("PUBLISHER SIGTERM: child exited after %d ms with %d keys left (TTL %d s)%n",
                        goneMs, keysLeft, TTL.toSeconds());
                assertThat(keysLeft).as("keys left once the child exited; output %s", output).isZero();
                assertThat(goneMs).as("well before the TTL").isLessThan(TTL.toMillis() / 3);
            } finally {
                child.destroyForcibly();
            }
        }
    }

    @Test
    void withoutTheOptInTheKeysOutliveASigtermUntilTheTtl() throws Exception {
        try (EtcdClient client = client()) {
            Process child = start("pub-keep/", 2, "keep");
            try {
                List<String> output = new CopyOnWriteArrayList<>();
                assertThat(readUntilReady(child, output).get(60, TimeUnit.SECONDS)).startsWith("READY");
                child.destroy();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                List<KeyValue> left = client.kv().list("pub-keep/");
                assertThat(left).as("the control: nothing revoked the lease").hasSize(2);
                client.leases().revoke(left.get(0).lease());
            } finally {
                child.destroyForcibly();
            }
        }
    }

    private static Process start(String prefix, int count, String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                PublisherProcess.class.getName(), ETCD.clientEndpointsString(), prefix, String.valueOf(count),
                String.valueOf(TTL.toSeconds()), mode);
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static CompletableFuture<String> readUntilReady(Process child, List<String> output) {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    output.add(line);
                    if (line.startsWith("READY")) {
                        ready.complete(line);
                    }
                }
                ready.completeExceptionally(new IllegalStateException("the child exited before READY: " + output));
            } catch (Exception e) {
                ready.completeExceptionally(e);
            }
        }, "publisher-output");
        reader.setDaemon(true);
        reader.start();
        return ready;
    }
}
