package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A subscription over 200,000 keys of 1 KiB each completes with the default message-size limits. */
class LargeSubscriptionTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final int KEYS = 200_000;

    @Test
    void subscribesToTwoHundredThousandOneKibKeys() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            byte[] value = new byte[1024];
            java.util.Arrays.fill(value, (byte) 'x');
            Bytes v = Bytes.of(value);
            Iterator<Map.Entry<Bytes, Bytes>> entries = new Iterator<>() {
                int i;

                @Override
                public boolean hasNext() {
                    return i < KEYS;
                }

                @Override
                public Map.Entry<Bytes, Bytes> next() {
                    return new AbstractMap.SimpleImmutableEntry<>(Bytes.of(String.format("big/k%07d", i++)), v);
                }
            };
            long loadStart = System.nanoTime();
            assertThat(client.kv().bulkLoader(128, 16).load(entries)).isEqualTo(KEYS);
            long loadMs = (System.nanoTime() - loadStart) / 1_000_000;

            AtomicLong puts = new AtomicLong();
            AtomicReference<String> lastKey = new AtomicReference<>("");
            AtomicReference<String> problem = new AtomicReference<>();
            CountDownLatch complete = new CountDownLatch(1);
            long start = System.nanoTime();
            try (Watcher s = client.watches().subscribe(Subscribe.prefix("big/"), event -> {
                if (event instanceof PutEvent p) {
                    String k = p.kv().keyAsString();
                    if (k.compareTo(lastKey.get()) <= 0 || p.kv().value().size() != 1024) {
                        problem.compareAndSet(null, "out of order or wrong value at " + k);
                    }
                    lastKey.set(k);
                    puts.incrementAndGet();
                } else if (event instanceof SnapshotCompleteEvent c) {
                    if (c.keys() != KEYS) {
                        problem.compareAndSet(null, "snapshot reported " + c.keys() + " keys");
                    }
                    complete.countDown();
                } else {
                    problem.compareAndSet(null, "unexpected event " + event);
                }
            })) {
                assertThat(complete.await(120, TimeUnit.SECONDS)).as("snapshot completed").isTrue();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(problem.get()).isNull();
            assertThat(puts.get()).isEqualTo(KEYS);
            System.out.printf("LARGE SUBSCRIPTION: loaded %d x 1 KiB in %d ms; subscribed (snapshot delivered) "
                    + "in %d ms%n", KEYS, loadMs, took.toMillis());
        }
    }
}
