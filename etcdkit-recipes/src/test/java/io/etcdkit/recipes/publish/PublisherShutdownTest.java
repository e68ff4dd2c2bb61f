package io.etcdkit.recipes.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.testing.ChildJvm;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
             LeasedPublisher<String> publisher = LeasedPublisher.builder(client, Codecs.text()).open()) {
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
                    .open()).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("withoutLease");
        }
    }

    @Test
    void aPublisherStoppedWithSigtermTakesItsKeysAlongAtOnce() throws Exception {
        try (EtcdClient client = client()) {
            try (ChildJvm jvm = start("pub-term/", 5, "revoke")) {
                Process child = jvm.process();
                assertThat(jvm.ready().get(60, TimeUnit.SECONDS)).as("child output: %s", jvm.output())
                        .startsWith("READY");
                assertThat(client.kv().count(io.etcdkit.kv.Range.prefix("pub-term/"))).isEqualTo(5);

                long stoppedAt = System.nanoTime();
                child.destroy(); // SIGTERM: the shutdown hooks run
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                long goneMs = (System.nanoTime() - stoppedAt) / 1_000_000;
                long keysLeft = client.kv().count(io.etcdkit.kv.Range.prefix("pub-term/"));
                System.out.printf("PUBLISHER SIGTERM: child exited after %d ms with %d keys left (TTL %d s)%n",
                        goneMs, keysLeft, TTL.toSeconds());
                assertThat(keysLeft).as("keys left once the child exited; output %s", jvm.output()).isZero();
                assertThat(goneMs).as("well before the TTL").isLessThan(TTL.toMillis() / 3);
            }
        }
    }

    @Test
    void withoutTheOptInTheKeysOutliveASigtermUntilTheTtl() throws Exception {
        try (EtcdClient client = client()) {
            try (ChildJvm jvm = start("pub-keep/", 2, "keep")) {
                Process child = jvm.process();
                assertThat(jvm.ready().get(60, TimeUnit.SECONDS)).startsWith("READY");
                child.destroy();
                assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
                List<KeyValue> left = client.kv().list("pub-keep/");
                assertThat(left).as("the control: nothing revoked the lease").hasSize(2);
                client.leases().revoke(left.get(0).lease());
            }
        }
    }

    private static ChildJvm start(String prefix, int count, String mode) throws Exception {
        return ChildJvm.start(PublisherProcess.class, ETCD.clientEndpointsString(), prefix, String.valueOf(count),
                String.valueOf(TTL.toSeconds()), mode);
    }
}
