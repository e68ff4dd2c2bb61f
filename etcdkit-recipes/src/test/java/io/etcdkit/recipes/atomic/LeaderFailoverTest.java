package io.etcdkit.recipes.atomic;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hard rule under a real failure: killing the leader mid-increment neither duplicates nor drops one. */
class LeaderFailoverTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    @Test
    @Timeout(60)
    void killingTheLeaderWhileFourThreadsIncrementNeitherDuplicatesNorDrops() throws Exception {
        EtcdMember leader = ETCD.cluster().leader();
        List<String> endpoints = new ArrayList<>();
        endpoints.add(leader.clientEndpoint()); // talk to the leader first, so its death cuts requests in flight
        ETCD.clientEndpoints().stream().filter(e -> !e.equals(leader.clientEndpoint())).forEach(endpoints::add);

        try (EtcdClient real = EtcdClient.builder().endpoints(endpoints).build()) {
            FaultyClient observed = new FaultyClient(real); // no faults queued: it only counts real unknown answers
            AtomicCounter counter = AtomicCounter.of(observed.client(), "counters/failover")
                    .retries(10_000).deadline(Duration.ofSeconds(20));
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<Long> returned = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<OutcomeUnknownException> surfacedUnknown = new ConcurrentLinkedQueue<>();
            AtomicInteger failedUnapplied = new AtomicInteger();

            ExecutorService threads = Executors.newFixedThreadPool(4);
            for (int t = 0; t < 4; t++) {
                threads.submit(() -> {
                    while (!stop.get()) {
                        try {
                            returned.add(counter.incrementAndGet());
                        } catch (OutcomeUnknownException e) {
                            surfacedUnknown.add(e);
                        } catch (EtcdException e) {
                            failedUnapplied.incrementAndGet(); // typed "nothing was written" errors
                        }
                    }
                });
            }
            Thread.sleep(1000);
            int beforeKill = returned.size();
            leader.kill();
            Thread.sleep(3000);
            leader.start();
            Thread.sleep(1000);
            stop.set(true);
            threads.shutdown();
            assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

            long finalValue = counter.get();
            System.out.printf("failover: %d increments returned (%d before the kill), %d unknown answers from the "
                            + "client resolved or surfaced, %d surfaced to callers, %d failed unapplied, final %d%n",
                    returned.size(), beforeKill, observed.unknownAnswers(), surfacedUnknown.size(),
                    failedUnapplied.get(), finalValue);

            assertThat(returned.size()).as("increments kept succeeding after failover").isGreaterThan(beforeKill);
            assertThat(returned).as("no two increments wrote the same value").doesNotHaveDuplicates();
            assertThat(returned).allMatch(v -> v >= 1 && v <= finalValue);
            // Nothing was compacted and the cluster came back well within the deadline, so every outcome was
            // decidable: each increment is either returned or failed unapplied, and the counts match exactly.
            assertThat(surfacedUnknown).as("undecidable outcomes (only history loss or a dead cluster may cause them)")
                    .isEmpty();
            assertThat(finalValue).as("final value = increments that returned").isEqualTo(returned.size());
        }
    }
}
