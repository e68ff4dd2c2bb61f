package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.InvalidArgumentException;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.jackson.JacksonCodecs;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;

/** Direct (address-to-address) publish/subscribe, status events and errors; no registry involved. */
@SuppressWarnings("try") // subscribers opened in try-with-resources only to be closed
class ZmqPubSubTest {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Topic<String> TEXT = Topic.of("text", Codecs.text());
    static final Topic<Long> NUMBERS = Topic.of("numbers", Codecs.longs());

    record Quote(String symbol, long price) {
    }

    static final Topic<Quote> QUOTES = Topic.of("quotes", JacksonCodecs.json(Quote.class));

    @Test
    void directRoundTripDeliversEveryMessageInOrderWithSequenceNumbers() throws Exception {
        Recorder<Quote> rec = new Recorder<>();
        try (ZmqPublisher pub = ZmqPublisher.builder().start();
             ZmqSubscriber<Quote> sub = ZmqSubscriber.builder(QUOTES).connect(pub.address()).listener(rec).start()) {
            assertThat(pub.address().port()).isPositive();
            assertThat(rec.awaitConnected(0, pub.address(), WAIT)).isTrue();
            assertThat(sub.connectedAddresses()).containsExactly(pub.address());
            Probe.untilReceived(pub, QUOTES, new Quote("probe", 0), rec, WAIT);
            int from = rec.size();
            List<Quote> sent = IntStream.range(0, 1000).mapToObj(i -> new Quote("S" + i, i)).toList();
            long[] seqs = new long[sent.size()];
            for (int i = 0; i < sent.size(); i++) {
                seqs[i] = pub.send(QUOTES, sent.get(i));
            }
            long firstSeq = seqs[0];
            assertThat(rec.await(from, WAIT, e -> e instanceof SubscriberEvent.Message<Quote> m
                    && m.value().equals(sent.get(sent.size() - 1)))).isPresent();
            List<SubscriberEvent.Message<Quote>> got = new ArrayList<>();
            for (SubscriberEvent<Quote> e : rec.events.subList(from, rec.size())) {
                if (e instanceof SubscriberEvent.Message<Quote> m) {
                    got.add(m);
                }
            }
            assertThat(got).extracting(SubscriberEvent.Message::value).containsExactlyElementsOf(sent);
            assertThat(got).extracting(SubscriberEvent.Message::sequence)
                    .containsExactlyElementsOf(IntStream.range(0, 1000).mapToObj(i -> (long) i + firstSeq).toList());
            assertThat(got).allSatisfy(m -> assertThat(m.publisherId()).isEqualTo(pub.publisherId()));
            assertThat(rec.ofType(SubscriberEvent.Missed.class)).isEmpty();
            assertThat(rec.ofType(SubscriberEvent.Malformed.class)).isEmpty();
        }
        assertThat(rec.events.get(rec.size() - 1)).isInstanceOf(SubscriberEvent.Stopped.class);
    }

    @Test
    void topicsMatchExactlyNotByPrefix() throws Exception {
        Topic<String> longer = Topic.of("text.more", Codecs.text());
        Recorder<String> rec = new Recorder<>();
        try (ZmqPublisher pub = ZmqPublisher.builder().start();
             ZmqSubscriber<String> sub = ZmqSubscriber.builder(TEXT).connect(pub.address()).listener(rec).start()) {
            assertThat(rec.awaitConnected(0, pub.address(), WAIT)).isTrue();
            Probe.untilReceived(pub, TEXT, "probe", rec, WAIT);
            pub.send(longer, "not for me");
            pub.send(TEXT, "for me");
            assertThat(rec.await(0, WAIT, e -> e instanceof SubscriberEvent.Message<String> m
                    && m.value().equals("for me"))).isPresent();
            assertThat(rec.values()).doesNotContain("not for me");
        }
    }

    @Test
    void statusEventsOnConnectAndDisconnectAndReconnectToARestartedPublisher() throws Exception {
        Recorder<String> rec = new Recorder<>();
        ZmqPublisher first = ZmqPublisher.builder().start();
        ZmqAddress address = first.address();
        try (ZmqSubscriber<String> sub = ZmqSubscriber.builder(TEXT).connect(address).listener(rec).start()) {
            assertThat(rec.awaitConnected(0, address, WAIT)).as("connected").isTrue();
            first.stop();
            int afterStop = rec.size();
            assertThat(rec.awaitDisconnected(0, address, WAIT)).as("disconnected after the publisher stopped")
                    .isTrue();
            assertThat(sub.connectedAddresses()).isEmpty();
            // The same address comes back: ZeroMQ reconnects by itself and the subscriber says so.
            try (ZmqPublisher second = ZmqPublisher.builder().bind(address).start()) {
                assertThat(rec.awaitConnected(afterStop, address, WAIT)).as("connected again").isTrue();
                Probe.untilReceived(second, TEXT, "after restart", rec, WAIT);
            }
        }
        List<String> kinds = rec.events.stream().filter(e -> !(e instanceof SubscriberEvent.Message<String>))
                .map(e -> e.getClass().getSimpleName()).toList();
        assertThat(kinds).startsWith("Connected", "Disconnected", "Connected").endsWith("Stopped");
    }

    /**
     * Regression: a subscriber stopping while its publisher goes away (a cancelled flow subscription, say) used to
     * close its monitor's reading end before ZeroMQ wrote the disconnect event; the write then blocked the shared
     * I/O thread for good and no later socket of the process ever connected.
     */
    @Test
    void aSubscriberStoppingAsItsPublisherGoesAwayDoesNotStallLaterConnections() throws Exception {
        for (int i = 0; i < 60; i++) {
            Recorder<String> rec = new Recorder<>();
            ZmqPublisher pub = ZmqPublisher.builder().start();
            ZmqSubscriber<String> sub = ZmqSubscriber.builder(TEXT).connect(pub.address()).listener(rec).start();
            // A second pair keeps the shared context (and its I/O thread) alive across the race.
            try (ZmqPublisher keeper = ZmqPublisher.builder().start()) {
                assertThat(rec.awaitConnected(0, pub.address(), WAIT)).as("cycle %d connected", i).isTrue();
                sub.requestStop();
                pub.stop();
                Recorder<String> next = new Recorder<>();
                try (ZmqSubscriber<String> later = ZmqSubscriber.builder(TEXT).connect(keeper.address())
                        .listener(next).start()) {
                    assertThat(next.awaitConnected(0, keeper.address(), WAIT))
                            .as("cycle %d: a later subscriber connects", i).isTrue();
                    Probe.untilReceived(keeper, TEXT, "still flowing", next, WAIT);
                }
            } finally {
                sub.stop();
            }
        }
    }

    @Test
    void stoppingTheSubscriberReportsItsConnectionsClosedThenStopped() throws Exception {
        Recorder<String> rec = new Recorder<>();
        try (ZmqPublisher pub = ZmqPublisher.builder().start()) {
            ZmqSubscriber<String> sub = ZmqSubscriber.builder(TEXT).connect(pub.address()).listener(rec).start();
            assertThat(rec.awaitConnected(0, pub.address(), WAIT)).isTrue();
            sub.stop();
            assertThat(sub.isStopped()).isTrue();
            assertThat(rec.events.subList(rec.size() - 2, rec.size()))
                    .containsExactly(new SubscriberEvent.Disconnected<>(pub.address()),
                            new SubscriberEvent.Stopped<>(java.util.Optional.empty()));
            sub.stop(); // idempotent
        }
    }

    @Test
    void aMalformedMessageIsReportedAndTheStreamContinues() throws Exception {
        Recorder<Long> rec = new Recorder<>();
        // A hand-made publisher on the shared context (see ZmqContexts on why not a context of its own).
        ZMQ.Socket raw = ZmqContexts.acquire().socket(SocketType.PUB);
        try (ZmqPublisher pub = ZmqPublisher.builder().start();
             ZmqSubscriber<Long> sub = ZmqSubscriber.builder(NUMBERS).connect(pub.address()).listener(rec).start()) {
            raw.setLinger(0);
            raw.bind("tcp://127.0.0.1:*");
            ZmqAddress rawAddress = ZmqAddress.parse(raw.getLastEndpoint());
            assertThat(rec.awaitConnected(0, pub.address(), WAIT)).isTrue();
            Probe.untilReceived(pub, NUMBERS, -1L, rec, WAIT);
            // A second subscriber-side connection to a hand-made publisher that speaks badly.
            Recorder<Long> rawRec = new Recorder<>();
            try (ZmqSubscriber<Long> sub2 = ZmqSubscriber.builder(NUMBERS).connect(rawAddress).listener(rawRec)
                    .start()) {
                assertThat(rawRec.awaitConnected(0, rawAddress, WAIT)).isTrue();
                byte[] name = "numbers".getBytes(StandardCharsets.UTF_8);
                long seq = probeRaw(raw, name, 42, rawRec) + 1;
                int from = rawRec.size();
                sendRaw(raw, name, header(1, 42, seq++), "not a number".getBytes(StandardCharsets.UTF_8));
                raw.sendMore(name);
                raw.send("only two frames"); // wrong frame count
                sendRaw(raw, name, header(9, 42, seq++), "8".getBytes(StandardCharsets.UTF_8)); // future version
                sendRaw(raw, name, header(1, 42, seq++), "9".getBytes(StandardCharsets.UTF_8)); // fine again
                assertThat(rawRec.await(from, WAIT, e -> e instanceof SubscriberEvent.Message<Long> m
                        && m.value() == 9L)).as("the stream goes on").isPresent();
                List<SubscriberEvent.Malformed<Long>> bad = rawRec.ofType(SubscriberEvent.Malformed.class);
                assertThat(bad).hasSize(3);
                assertThat(bad.get(0).topicName()).contains("numbers");
                assertThat(bad.get(0).error()).hasCauseInstanceOf(ValueDecodingException.class)
                        .hasMessageContaining("does not decode with codec longs");
                assertThat(bad.get(1).error()).hasMessageContaining("expected 3 frames");
                assertThat(bad.get(2).error()).hasMessageContaining("unsupported frame layout version 9");
            }
            // The first subscriber was unaffected.
            pub.send(NUMBERS, 5L);
            assertThat(rec.await(0, WAIT, e -> e instanceof SubscriberEvent.Message<Long> m && m.value() == 5L))
                    .isPresent();
        } finally {
            raw.close();
            ZmqContexts.release();
        }
    }

    @Test
    void lostMessagesAreReportedAsMissed() throws Exception {
        Recorder<Long> rec = new Recorder<>();
        // A hand-made publisher on the shared context (see ZmqContexts on why not a context of its own).
        ZMQ.Socket raw = ZmqContexts.acquire().socket(SocketType.PUB);
        try {
            raw.setLinger(0);
            raw.bind("tcp://127.0.0.1:*");
            ZmqAddress rawAddress = ZmqAddress.parse(raw.getLastEndpoint());
            try (ZmqSubscriber<Long> sub = ZmqSubscriber.builder(NUMBERS).connect(rawAddress).listener(rec).start()) {
                assertThat(rec.awaitConnected(0, rawAddress, WAIT)).isTrue();
                byte[] name = "numbers".getBytes(StandardCharsets.UTF_8);
                long last = probeRaw(raw, name, 7, rec);
                int from = rec.size();
                sendRaw(raw, name, header(1, 7, last + 1), "1".getBytes(StandardCharsets.UTF_8));
                sendRaw(raw, name, header(1, 7, last + 5), "5".getBytes(StandardCharsets.UTF_8)); // 3 lost
                assertThat(rec.await(from, WAIT, e -> e instanceof SubscriberEvent.Message<Long> m && m.value() == 5))
                        .as("events %s", rec.events).isPresent();
                assertThat(rec.events.subList(from, rec.size())).filteredOn(e -> !(e instanceof
                        SubscriberEvent.Message<Long>)).containsExactly(
                        new SubscriberEvent.Missed<>(NUMBERS, 7, last + 2, 3));
            }
        } finally {
            raw.close();
            ZmqContexts.release();
        }
    }

    @Test
    void bindingAnAddressInUseIsATypedError() {
        try (ZmqPublisher pub = ZmqPublisher.builder().start()) {
            assertThatThrownBy(() -> ZmqPublisher.builder().bind(pub.address()).start())
                    .isInstanceOf(AddressInUseException.class)
                    .hasMessageContaining(pub.address().endpoint()).hasMessageContaining("already in use")
                    .satisfies(e -> assertThat(((AddressInUseException) e).address()).isEqualTo(pub.address()));
        }
    }

    @Test
    void badAddressesAndTopicsAreTypedErrors() {
        assertThatThrownBy(() -> ZmqAddress.parse("127.0.0.1:5555")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("tcp://host:port");
        assertThatThrownBy(() -> ZmqAddress.parse("tcp://host:http")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("numeric port");
        assertThatThrownBy(() -> ZmqAddress.tcp("h", 70000)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Topic.of("", Codecs.text())).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> ZmqSubscriber.builder(TEXT).start()).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("connect(address) or discover");
        assertThatThrownBy(() -> ZmqSubscriber.builder(TEXT).connect("tcp://*:5555"))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(ZmqAddress.parse("tcp://[::1]:5556")).isEqualTo(ZmqAddress.tcp("[::1]", 5556));
        assertThat(ZmqAddress.parse("tcp://*:*")).isEqualTo(ZmqAddress.tcp("*", 0));
    }

    @Test
    void sendingAfterStopFailsAndEncodingFailuresSendNothing() {
        ZmqPublisher pub = ZmqPublisher.builder().start();
        assertThatThrownBy(() -> pub.send(TEXT, "\ud800")).isInstanceOf(InvalidArgumentException.class);
        pub.stop();
        pub.stop();
        assertThat(pub.isStopped()).isTrue();
        assertThatThrownBy(() -> pub.send(TEXT, "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped");
    }

    @Test
    void aFlowSubscriberGetsStatusAndMessagesWithinItsDemandAndCancelStops() throws Exception {
        try (ZmqPublisher pub = ZmqPublisher.builder().start()) {
            Flow.Publisher<SubscriberEvent<String>> events = ZmqSubscriber.builder(TEXT).connect(pub.address())
                    .toPublisher();
            List<SubscriberEvent<String>> got = new CopyOnWriteArrayList<>();
            CountDownLatch sawMessage = new CountDownLatch(1);
            CountDownLatch completed = new CountDownLatch(1);
            Flow.Subscription[] subscription = new Flow.Subscription[1];
            events.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    subscription[0] = s;
                    s.request(1);
                }

                @Override
                public void onNext(SubscriberEvent<String> item) {
                    got.add(item);
                    if (item instanceof SubscriberEvent.Message<String>) {
                        sawMessage.countDown();
                    } else {
                        subscription[0].request(1);
                    }
                }

                @Override
                public void onError(Throwable t) {
                    got.add(new SubscriberEvent.Stopped<>(java.util.Optional.of(new ZmqException(t.toString()))));
                }

                @Override
                public void onComplete() {
                    completed.countDown();
                }
            });
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (sawMessage.getCount() > 0 && System.nanoTime() < deadline) {
                pub.send(TEXT, "hello");
                sawMessage.await(20, TimeUnit.MILLISECONDS);
            }
            assertThat(sawMessage.getCount()).isZero();
            assertThat(got.get(0)).isEqualTo(new SubscriberEvent.Connected<>(pub.address()));
            // Demand is exhausted: nothing more is delivered however much is sent.
            for (int i = 0; i < 50; i++) {
                pub.send(TEXT, "more");
            }
            int before = got.size();
            subscription[0].cancel();
            assertThat(got).hasSize(before);
            assertThat(got).filteredOn(e -> e instanceof SubscriberEvent.Message<String>).hasSize(1);
            assertThat(completed.getCount()).as("no onComplete after cancel").isEqualTo(1);
        }
    }

    /**
     * Sends valid messages (value 0, sequence 1, 2, ...) from a hand-made publisher until the subscriber has one
     * (slow joiner); returns the last sequence sent.
     */
    static long probeRaw(ZMQ.Socket raw, byte[] topic, long publisherId, Recorder<Long> rec)
            throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        long seq = 0;
        while (rec.values().isEmpty() && System.nanoTime() < deadline) {
            sendRaw(raw, topic, header(1, publisherId, ++seq), "0".getBytes(StandardCharsets.UTF_8));
            rec.await(0, Duration.ofMillis(20), e -> e instanceof SubscriberEvent.Message<Long>);
        }
        assertThat(rec.values()).as("a probe arrived").isNotEmpty();
        return seq;
    }

    static byte[] header(int version, long publisherId, long seq) {
        return ByteBuffer.allocate(17).put((byte) version).putLong(publisherId).putLong(seq).array();
    }

    static void sendRaw(ZMQ.Socket raw, byte[] topic, byte[] header, byte[] payload) {
        raw.sendMore(topic);
        raw.sendMore(header);
        raw.send(payload);
    }
}
