package io.etcdkit.recipes.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Op;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instances registered or removed together in one transaction appear and vanish together: concurrent readers and
 * listeners never see a transaction half applied.
 */
class ServiceWatchAtomicityTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final int INSTANCES = 6;
    static final int TXNS = 300;

    @Test
    void readersAndListenersNeverSeeHalfATransaction() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "reg-atomic/");
            String prefix = registry.prefix("batch");
            // one instance registered the ordinary way stays throughout
            try (Registration steady = registry.register("batch", ServiceInstance.of("steady", "h:0"));
                 ServiceWatch watch = registry.watch("batch")) {
                assertThat(watch.awaitReady(Duration.ofSeconds(10))).isTrue();
                List<String> violations = new CopyOnWriteArrayList<>();
                AtomicLong listenerChecks = new AtomicLong();
                watch.addListener(new ServiceWatchListener() {
                    @Override
                    public void added(ServiceInstance instance) {
                        check(watch.instances(), violations, "listener on added " + instance.id());
                        listenerChecks.incrementAndGet();
                    }

                    @Override
                    public void removed(ServiceInstance instance) {
                        check(watch.instances(), violations, "listener on removed " + instance.id());
                        listenerChecks.incrementAndGet();
                    }

                    @Override
                    public void changed(ServiceInstance previous, ServiceInstance current) {
                        check(watch.instances(), violations, "listener on changed " + current.id());
                        listenerChecks.incrementAndGet();
                    }
                });
                AtomicBoolean writing = new AtomicBoolean(true);
                AtomicLong readerChecks = new AtomicLong();
                List<Thread> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    Thread t = new Thread(() -> {
                        while (writing.get()) {
                            check(watch.instances(), violations, "reader");
                            readerChecks.incrementAndGet();
                        }
                    });
                    t.start();
                    readers.add(t);
                }
                // Pipelined: many transactions queue up in the watch's subscription at once. Every third one
                // removes the batch, the others (re-)register all of it with a new address.
                List<CompletableFuture<TxnResult>> writes = new ArrayList<>();
                for (int t = 0; t < TXNS; t++) {
                    writes.add(client.kv().commitAsync(t % 3 == 2
                            ? Transaction.always(deletes(prefix))
                            : Transaction.always(puts(prefix, "h:" + t))));
                }
                writes.forEach(CompletableFuture::join);
                // Pipelined transactions may be applied in any order; this one is surely the last.
                client.kv().commit(Transaction.always(puts(prefix, "final")));
                assertThat(ServiceRegistryTest.awaitMillis(Duration.ofSeconds(20), () -> watch.instances().size()
                        == 1 + INSTANCES && watch.instances().stream().allMatch(i -> i.id().equals("steady")
                        || i.address().equals("final")))).as("the watch shows the last transaction").isNotNegative();
                writing.set(false);
                for (Thread t : readers) {
                    t.join(10_000);
                }
                System.out.printf("SERVICE WATCH ATOMICITY: %d reader checks, %d listener checks during %d "
                        + "transactions of %d instances, %d violations%n", readerChecks.get(), listenerChecks.get(),
                        TXNS, INSTANCES, violations.size());
                assertThat(readerChecks.get()).isPositive();
                assertThat(listenerChecks.get()).isGreaterThanOrEqualTo(INSTANCES);
                assertThat(violations).isEmpty();
                assertThat(steady.state()).isEqualTo(RegistrationState.REGISTERED);
            }
        }
    }

    private static Op[] puts(String prefix, String address) {
        Op[] ops = new Op[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) {
            ServiceInstance instance = ServiceInstance.of("b" + i, address);
            ops[i] = Put.of(Bytes.of(prefix + instance.id()), ServiceRegistry.CODEC.encode(instance));
        }
        return ops;
    }

    private static Op[] deletes(String prefix) {
        Op[] ops = new Op[INSTANCES];
        for (int i = 0; i < INSTANCES; i++) {
            ops[i] = Delete.key(prefix + "b" + i);
        }
        return ops;
    }

    /** The steady instance, plus either no batch instance or all of them with one address. */
    private static void check(List<ServiceInstance> instances, List<String> violations, String who) {
        Set<String> batchAddresses = new HashSet<>();
        int batch = 0;
        boolean steady = false;
        for (ServiceInstance i : instances) {
            if (i.id().equals("steady")) {
                steady = true;
            } else {
                batch++;
                batchAddresses.add(i.address());
            }
        }
        if (!steady || !(batch == 0 || (batch == INSTANCES && batchAddresses.size() == 1))) {
            violations.add(who + " saw half a transaction: " + instances);
        }
    }
}
