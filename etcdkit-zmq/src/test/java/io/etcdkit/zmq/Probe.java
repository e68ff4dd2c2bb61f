package io.etcdkit.zmq;

import java.time.Duration;

/**
 * Gets past ZeroMQ's slow joiner without a fixed sleep: after the subscriber reported {@code Connected}, the
 * publisher sends a probe message every few milliseconds until the subscriber has received one, so the
 * subscription has surely reached the publisher before the test sends what it asserts on.
 */
final class Probe {
    private Probe() {
    }

    static <T> void untilReceived(ZmqPublisher pub, Topic<T> topic, T probe, Recorder<T> rec, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int from = rec.size();
        while (System.nanoTime() - deadline < 0) {
            pub.send(topic, probe);
            if (rec.await(from, Duration.ofMillis(20),
                    e -> e instanceof SubscriberEvent.Message<T> m && m.value().equals(probe)).isPresent()) {
                return;
            }
        }
        throw new AssertionError("the subscriber never received a probe within " + timeout + "; events: " + rec.events);
    }
}
