package io.etcdkit.recipes.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.RequestTooLargeException;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionExpiredException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** LeasedPublisher against a real member: leases, keep-alive, back-pressure, order and failures. */
class LeasedPublisherTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(20);
    static EtcdClient client;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    /** Publishes {@code entries} through a SubmissionPublisher and closes it (upstream completes). */
    static void publish(LeasedPublisher<String> out, List<Entry<String>> entries) {
        try (SubmissionPublisher<Entry<String>> upstream = new SubmissionPublisher<>()) {
            upstream.subscribe(out);
            entries.forEach(upstream::submit);
        }
    }

    /** An open upstream that has published one entry at {@code key} through {@code out}. */
    static SubmissionPublisher<Entry<String>> publishedOne(LeasedPublisher<String> out, String key)
            throws InterruptedException {
        SubmissionPublisher<Entry<String>> upstream = new SubmissionPublisher<>();
        upstream.subscribe(out);
        upstream.submit(Entry.of(key, "1"));
        await().atMost(WAIT).until(() -> out.published() == 1);
        return upstream;
    }

    @Test
    void closeRevokesTheLeaseSoTheKeysVanishAtOnce() throws Exception {
        LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).open();
        publish(out, List.of(Entry.of("pub/close/a", "1"), Entry.of("pub/close/b", "2")));
        out.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(out.state()).isEqualTo(PublisherState.COMPLETED);
        assertThat(out.published()).isEqualTo(2);
        KeyValue a = client.kv().get("pub/close/a").orElseThrow();
        assertThat(a.valueAsString()).isEqualTo("1");
        assertThat(a.lease()).isEqualTo(out.leaseId().orElseThrow());

        out.close();
        // No waiting: the revoke has been applied when close returns.
        assertThat(client.kv().list("pub/close/")).isEmpty();
        assertThat(out.state()).isEqualTo(PublisherState.CLOSED);
        out.close(); // idempotent
        assertThat(out.state()).isEqualTo(PublisherState.CLOSED);
    }

    @Test
    void keepAliveKeepsTheKeysPastTheLeaseTtl() throws Exception {
        try (LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text())
                .lease(Duration.ofSeconds(2)).open()) {
            assertThat(client.leases().timeToLive(out.leaseId().orElseThrow()).granted())
                    .isEqualTo(Duration.ofSeconds(2));
            publish(out, List.of(Entry.of("pub/alive/a", "1")));
            out.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            // Watch the key for 5 s (2.5 TTLs): it must be there at every look.
            await("present at every look for 5 s").during(Duration.ofSeconds(5))
                    .atMost(Duration.ofSeconds(5).plus(WAIT)).pollInterval(Duration.ofMillis(100))
                    .until(() -> client.kv().exists("pub/alive/a"));
            assertThat(client.kv().exists("pub/alive/a")).isTrue();
            assertThat(out.state()).isEqualTo(PublisherState.COMPLETED);
        }
        assertThat(client.kv().exists("pub/alive/a")).isFalse();
    }

    @Test
    void keysWithoutALeasePersistAfterClose() throws Exception {
        LeasedPublisher<Long> out = LeasedPublisher.builder(client, Codecs.longs()).withoutLease().open();
        try (SubmissionPublisher<Entry<Long>> upstream = new SubmissionPublisher<>()) {
            upstream.subscribe(out);
            upstream.submit(Entry.of("pub/plain/n", 42L));
        }
        out.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(out.leaseId()).isEmpty();
        out.close();
        KeyValue kv = client.kv().get("pub/plain/n").orElseThrow();
        assertThat(kv.valueAsString()).isEqualTo("42");
        assertThat(kv.lease()).isZero();
    }

    @Test
    void backPressureBoundsThePutsInFlightAndEveryEntryLandsInOrderPerKey() throws Exception {
        int keys = 20;
        int entries = 3000;
        int maxInFlight = 8;
        String prefix = "pub/bulk/";
        long start = client.kv().put("pub/bulk-start", "x").revision();
        // Record every change under the prefix, per key, in revision order.
        Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
        AtomicLong events = new AtomicLong();
        try (Watcher w = client.watches().watch(Watch.prefix(prefix).fromRevision(start + 1).bufferSize(10_000), e -> {
            if (e instanceof PutEvent p) {
                seen.computeIfAbsent(p.kv().keyAsString(), k -> new CopyOnWriteArrayList<>())
                        .add(Integer.parseInt(p.kv().valueAsString()));
                events.incrementAndGet();
            }
        })) {
            AtomicLong acknowledged = new AtomicLong();
            List<String> violations = new CopyOnWriteArrayList<>();
            LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).withoutLease()
                    .maxInFlight(maxInFlight)
                    .listener(new PublishListener<>() {
                        @Override
                        public void onPublished(Entry<String> entry, long revision) {
                            acknowledged.incrementAndGet();
                        }
                    })
                    .open();
            // Count what the publisher asks for: it may never have asked for more than acknowledged + maxInFlight.
            AtomicLong requested = new AtomicLong();
            Flow.Subscriber<Entry<String>> counting = new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    out.onSubscribe(new Flow.Subscription() {
                        @Override
                        public void request(long n) {
                            long total = requested.addAndGet(n);
                            if (total > acknowledged.get() + maxInFlight) {
                                violations.add("requested " + total + " with " + acknowledged.get() + " acknowledged");
                            }
                            s.request(n);
                        }

                        @Override
                        public void cancel() {
                            s.cancel();
                        }
                    });
                }

                @Override
                public void onNext(Entry<String> item) {
                    out.onNext(item);
                }

                @Override
                public void onError(Throwable t) {
                    out.onError(t);
                }

                @Override
                public void onComplete() {
                    out.onComplete();
                }
            };
            try (SubmissionPublisher<Entry<String>> upstream = new SubmissionPublisher<>()) {
                upstream.subscribe(counting);
                for (int i = 0; i < entries; i++) {
                    upstream.submit(Entry.of(prefix + (i % keys), String.valueOf(i))); // blocks when the buffer is full
                }
            }
            out.completion().get(60, TimeUnit.SECONDS);
            assertThat(out.published()).isEqualTo(entries);
            assertThat(out.inFlight()).isZero();
            assertThat(violations).isEmpty();
            await("every put is seen by a watcher").atMost(WAIT).until(() -> events.get() == entries);
            for (int k = 0; k < keys; k++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = k; i < entries; i += keys) {
                    expected.add(i);
                }
                assertThat(seen.get(prefix + k)).as("key %d in submission order", k).isEqualTo(expected);
                assertThat(client.kv().get(prefix + k).orElseThrow().valueAsString())
                        .isEqualTo(String.valueOf(expected.get(expected.size() - 1)));
            }
            out.close();
        }
    }

    @Test
    void aFailedPutCancelsTheUpstreamAndIsReported() throws Exception {
        List<Throwable> heard = new CopyOnWriteArrayList<>();
        LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).listener(new PublishListener<>() {
            @Override
            public void onFailed(Throwable cause) {
                heard.add(cause);
            }
        }).open();
        try (SubmissionPublisher<Entry<String>> upstream = new SubmissionPublisher<>()) {
            upstream.subscribe(out);
            upstream.submit(Entry.of("pub/fail/ok", "fine"));
            upstream.submit(Entry.of("pub/fail/huge", "x".repeat(3 * 1024 * 1024))); // over the request limit
            await().atMost(WAIT).until(() -> out.state() == PublisherState.FAILED);
            await("upstream cancelled").atMost(WAIT).until(() -> upstream.getNumberOfSubscribers() == 0);
        }
        assertThat(out.failure()).get().isInstanceOf(PublishFailedException.class)
                .satisfies(e -> assertThat(((PublishFailedException) e).key()).isEqualTo("pub/fail/huge"))
                .extracting(Throwable::getCause).isInstanceOf(RequestTooLargeException.class);
        assertThat(heard).hasSize(1);
        assertThatThrownBy(() -> out.completion().join()).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(PublishFailedException.class);
        out.close();
        assertThat(client.kv().list("pub/fail/")).isEmpty();
    }

    @Test
    void aLostLeaseIsReported() throws Exception {
        LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).open();
        SubmissionPublisher<Entry<String>> upstream = publishedOne(out, "pub/lost/a");

        client.leases().revoke(out.leaseId().orElseThrow()); // someone else revokes it: the keys are gone

        await().atMost(WAIT).until(() -> out.state() == PublisherState.FAILED);
        assertThat(out.failure()).get().isInstanceOf(SessionExpiredException.class);
        await("upstream cancelled").atMost(WAIT).until(() -> upstream.getNumberOfSubscribers() == 0);
        upstream.close();
        out.close();
    }

    @Test
    void anUpstreamErrorFailsThePublisher() throws Exception {
        LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).withoutLease().open();
        SubmissionPublisher<Entry<String>> upstream = new SubmissionPublisher<>();
        upstream.subscribe(out);
        upstream.closeExceptionally(new IllegalStateException("sensor broke"));
        await().atMost(WAIT).until(() -> out.state() == PublisherState.FAILED);
        assertThat(out.failure()).get().isInstanceOf(IllegalStateException.class);
        out.close();
    }

    @Test
    void underASharedSessionCloseLeavesTheKeysToTheSession() throws Exception {
        try (Session session = Session.open(client, Duration.ofSeconds(5))) {
            LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).session(session).open();
            publish(out, List.of(Entry.of("pub/shared/a", "1")));
            out.completion().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(client.kv().get("pub/shared/a").orElseThrow().lease()).isEqualTo(session.leaseId());
            out.close();
            assertThat(client.kv().exists("pub/shared/a")).as("the session still holds the key").isTrue();
        }
        assertThat(client.kv().exists("pub/shared/a")).isFalse();
    }

    @Test
    void closingBeforeTheUpstreamCompletesCancelsItAndFailsTheCompletion() throws Exception {
        LeasedPublisher<String> out = LeasedPublisher.builder(client, Codecs.text()).open();
        SubmissionPublisher<Entry<String>> upstream = publishedOne(out, "pub/early/a");
        out.close();
        await().atMost(WAIT).until(() -> upstream.getNumberOfSubscribers() == 0);
        assertThatThrownBy(() -> out.completion().join()).hasCauseInstanceOf(CancellationException.class);
        assertThat(client.kv().exists("pub/early/a")).isFalse();
        upstream.close();
    }

    @Test
    void badConfigurationIsATypedError() {
        assertThatThrownBy(() -> LeasedPublisher.builder(client, Codecs.text()).maxInFlight(0))
                .isInstanceOf(io.etcdkit.InvalidArgumentException.class).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> LeasedPublisher.builder(client, Codecs.text()).lease(Duration.ZERO))
                .isInstanceOf(io.etcdkit.InvalidArgumentException.class).hasMessageContaining("TTL");
        assertThatThrownBy(() -> Entry.of("", "v")).isInstanceOf(io.etcdkit.InvalidArgumentException.class);
    }
}
