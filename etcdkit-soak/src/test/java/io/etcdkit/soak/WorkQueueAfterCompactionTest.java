package io.etcdkit.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.workqueue.Claim;
import io.etcdkit.recipes.workqueue.NewItem;
import io.etcdkit.recipes.workqueue.WorkConsumer;
import io.etcdkit.recipes.workqueue.WorkQueue;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.nemesis.Partitions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The 30-minute soak's work-queue finding, reduced: a consumer's {@code WorkQueue} instance watches the queue
 * (its claim watcher) through one member; that member's client port is cut while the history is compacted past the
 * watch, then healed. A claim of that consumer then expires (its lease revoked from outside): the item must come
 * back to the queue. Each case runs against its own queue name. The compacted case fails today (2 of 2 runs,
 * {@code QueueStats[items=1, pending=0, claimed=0]} 15 s after the revocation) while the plain case passes: it is
 * disabled until etcdkit-recipes reopens the claim watcher's watch after a compaction.
 */
class WorkQueueAfterCompactionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    void anExpiredClaimIsReturnedWhenNothingWasCompacted() throws Exception {
        expiredClaimComesBack("plain", false);
    }

    @Test
    void anExpiredClaimIsReturnedAfterTheWatchWasCompactedPast() throws Exception {
        assumeTrue(Partitions.probe().available(), "partitions unavailable: " + Partitions.probe().reason());
        expiredClaimComesBack("compacted", true);
    }

    private void expiredClaimComesBack(String name, boolean compactPastTheWatch) throws Exception {
        EtcdMember m0 = ETCD.cluster().member(0);
        List<String> others = List.of(ETCD.cluster().member(1).clientEndpoint(),
                ETCD.cluster().member(2).clientEndpoint());
        try (EtcdClient viaM0 = EtcdClient.builder().endpoints(m0.clientEndpoint()).build();
                EtcdClient outside = EtcdClient.builder().endpoints(others).build();
                WorkQueue queue = WorkQueue.of(viaM0, name);
                WorkQueue producer = WorkQueue.of(outside, name)) {
            Session session = Session.open(viaM0, Duration.ofSeconds(60));
            WorkConsumer consumer = queue.openConsumer(session); // starts the queue instance's claim watcher
            assertThat(consumer.claimBatch(1, Duration.ofMillis(200))).isEmpty();
            if (compactPastTheWatch) {
                try (Partitions partitions = Partitions.of(ETCD.cluster())) {
                    partitions.cutClients(m0);
                    for (int i = 0; i < 20; i++) {
                        outside.kv().put("wq-probe/" + name + "/" + i, "x"); // history the watch will miss
                    }
                    producer.add(NewItem.of("noise")); // a change under the queue's prefix, compacted away
                    long revision = outside.kv().put("wq-probe/" + name + "/last", "x").revision();
                    outside.maintenance().compact(revision, true);
                    Thread.sleep(3_000); // the cut lasts long enough for the watch stream to notice
                }
                await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                        .until(() -> viaM0.kv().get("wq-probe/" + name + "/last").isPresent());
                // drain the noise item through the consumer
                List<Claim> noise = consumer.claimBatch(1, Duration.ofSeconds(10));
                assertThat(noise).hasSize(1);
                assertThat(consumer.ack(noise.get(0))).isTrue();
            }
            producer.add(NewItem.of("job"));
            List<Claim> claims = consumer.claimBatch(1, Duration.ofSeconds(10));
            assertThat(claims).hasSize(1);
            outside.leases().revoke(session.leaseId()); // the consumer "dies": its claim expires
            await("the item whose claim expired is back in the queue").atMost(Duration.ofSeconds(15))
                    .pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertThat(producer.stats().pending()).as("%s", producer.stats())
                            .isEqualTo(1));
        }
    }
}
