package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.codec.Codecs;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Messages/s and latency of a local publisher → subscriber pair (one JVM, loopback TCP). Prints the figures
 * ({@code ZMQ THROUGHPUT}, {@code ZMQ LATENCY p50/p99}); asserts only that every message arrived, never a time.
 */
@SuppressWarnings("try") // subscribers opened in try-with-resources only to be closed
class ZmqThroughputTest {
    static final int PAYLOAD = 100;
    static final Topic<Bytes> BYTES = Topic.of("bench", Codecs.bytes());

    @Test
    void throughputOfALocalPair() throws Exception {
        int warmUp = 50_000;
        int measured = 300_000;
        AtomicLong received = new AtomicLong();
        AtomicLong missed = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(1);
        try (ZmqPublisher pub = ZmqPublisher.builder().sendHighWaterMark(0).start();
             ZmqSubscriber<Bytes> sub = ZmqSubscriber.builder(BYTES).connect(pub.address()).receiveHighWaterMark(0)
                     .listener(e -> {
                         if (e instanceof SubscriberEvent.Message<Bytes>) {
                             received.incrementAndGet();
                         } else if (e instanceof SubscriberEvent.Missed<Bytes> m) {
                             missed.addAndGet(m.count());
                         } else if (e instanceof SubscriberEvent.Connected<Bytes>) {
                             connected.countDown();
                         }
                     }).start()) {
            assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
            Bytes payload = Bytes.of(new byte[PAYLOAD]);
            while (received.get() == 0) { // slow joiner: probe until the subscription is in place
                pub.send(BYTES, payload);
                Thread.sleep(5);
            }
            long base = received.get();
            for (int i = 0; i < warmUp; i++) {
                pub.send(BYTES, payload);
            }
            assertThat(awaitCount(received, base + warmUp, Duration.ofSeconds(60))).isTrue();
            long start = System.nanoTime();
            for (int i = 0; i < measured; i++) {
                pub.send(BYTES, payload);
            }
            long sentNanos = System.nanoTime() - start;
            assertThat(awaitCount(received, base + warmUp + measured, Duration.ofSeconds(120)))
                    .as("received %d of %d", received.get() - base - warmUp, measured).isTrue();
            long nanos = System.nanoTime() - start;
            double perSecond = measured / (nanos / 1e9);
            System.out.printf("ZMQ THROUGHPUT: %,d messages of %d bytes in %d ms = %,.0f msg/s received "
                            + "(%.1f MB/s payload; sending alone %,.0f msg/s), %d missed%n", measured, PAYLOAD,
                    nanos / 1_000_000, perSecond, perSecond * PAYLOAD / 1e6, measured / (sentNanos / 1e9),
                    missed.get());
            assertThat(missed.get()).isZero();
        }
    }

    @Test
    void latencyOfALocalPairAtAModerateRate() throws Exception {
        int rate = 2_000;
        int warmUp = 4_000;
        int measured = 10_000;
        Topic<Bytes> stamped = Topic.of("stamped", Codecs.bytes());
        Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
        AtomicLong received = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(1);
        try (ZmqPublisher pub = ZmqPublisher.builder().start();
             ZmqSubscriber<Bytes> sub = ZmqSubscriber.builder(stamped).connect(pub.address()).listener(e -> {
                 if (e instanceof SubscriberEvent.Message<Bytes> m) {
                     long sentAt = m.value().asReadOnlyByteBuffer().getLong();
                     long n = received.incrementAndGet();
                     if (sentAt != 0 && n > warmUp) {
                         histogram.recordValue(Math.max(0, System.nanoTime() - sentAt));
                     }
                 } else if (e instanceof SubscriberEvent.Connected<Bytes>) {
                     connected.countDown();
                 }
             }).start()) {
            assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
            while (received.get() == 0) {
                pub.send(stamped, stamp(0)); // probes (not measured)
                Thread.sleep(5);
            }
            received.set(0);
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long next = System.nanoTime();
            for (int i = 0; i < warmUp + measured; i++) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                pub.send(stamped, stamp(System.nanoTime()));
                next += interval;
            }
            assertThat(awaitCount(received, warmUp + measured, Duration.ofSeconds(30))).isTrue();
            System.out.printf("ZMQ LATENCY p50/p99: %.1f/%.1f µs (p99.9 %.1f µs, max %.1f µs; %,d messages of "
                            + "%d bytes at %,d/s after %,d warm-up, send to listener, one JVM, loopback TCP)%n",
                    histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3,
                    histogram.getValueAtPercentile(99.9) / 1e3, histogram.getMaxValue() / 1e3,
                    histogram.getTotalCount(), PAYLOAD, rate, warmUp);
            assertThat(histogram.getTotalCount()).isEqualTo(measured);
        }
    }

    private static Bytes stamp(long nanos) {
        return Bytes.of(ByteBuffer.allocate(PAYLOAD).putLong(0, nanos));
    }

    private static boolean awaitCount(AtomicLong counter, long target, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (counter.get() < target) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(1);
        }
        return true;
    }
}
