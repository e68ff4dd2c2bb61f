package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Publishers that register by name and subscribers that find and follow them, against a real etcd member. */
@SuppressWarnings("try") // subscribers opened in try-with-resources only to be closed
class ZmqDiscoveryTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final Topic<String> NEWS = Topic.of("news", Codecs.text());

    static EtcdClient client;
    static ServiceRegistry registry;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        registry = ServiceRegistry.of(client, "zmq-test/");
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void aSubscriberFindsAPublisherByNameAndReceivesFromIt() throws Exception {
        Recorder<String> rec = new Recorder<>();
        try (ZmqPublisher pub = ZmqPublisher.builder().register(registry, "news-feed").instanceId("feed-1")
                .metadata("region", "eu").start();
             ZmqSubscriber<String> sub = ZmqSubscriber.builder(NEWS).discover(registry, "news-feed").listener(rec)
                     .start()) {
            ServiceInstance registered = pub.registration().orElseThrow().instance();
            assertThat(registered.id()).isEqualTo("feed-1");
            assertThat(registered.address()).isEqualTo(pub.address().endpoint());
            assertThat(registered.metadata()).containsEntry("transport", "zmq")
                    .containsEntry("framing", ZmqPublisher.FRAMING).containsEntry("region", "eu");
            assertThat(rec.awaitConnected(0, pub.address(), WAIT)).isTrue();
            assertThat(rec.events.get(0)).isEqualTo(new SubscriberEvent.PublisherFound<>(registered));
            assertThat(sub.addresses()).containsExactly(pub.address());
            Probe.untilReceived(pub, NEWS, "probe", rec, WAIT);
            int from = rec.size();
            pub.send(NEWS, "headline");
            assertThat(rec.await(from, WAIT, e -> e instanceof SubscriberEvent.Message<String> m
                    && m.value().equals("headline"))).isPresent();
        }
    }

    @Test
    void aPublisherRestartedOnANewPortIsFollowed() throws Exception {
        Recorder<String> rec = new Recorder<>();
        ZmqPublisher first = ZmqPublisher.builder().register(registry, "moving").instanceId("m-1").start();
        try (ZmqSubscriber<String> sub = ZmqSubscriber.builder(NEWS).discover(registry, "moving").listener(rec)
                .start()) {
            assertThat(rec.awaitConnected(0, first.address(), WAIT)).isTrue();
            Probe.untilReceived(first, NEWS, "from first", rec, WAIT);
            ServiceInstance firstInstance = first.registration().orElseThrow().instance();
            first.stop();
            assertThat(rec.await(0, WAIT, e -> e.equals(new SubscriberEvent.PublisherGone<>(firstInstance))))
                    .as("the subscriber saw the publisher leave the registry").isPresent();
            assertThat(rec.awaitDisconnected(0, first.address(), WAIT)).isTrue();
            int from = rec.size();
            try (ZmqPublisher second = ZmqPublisher.builder().register(registry, "moving").instanceId("m-1")
                    .start()) {
                assertThat(second.address()).isNotEqualTo(first.address());
                assertThat(rec.awaitConnected(from, second.address(), WAIT)).as("followed to the new port").isTrue();
                assertThat(sub.addresses()).containsExactly(second.address());
                Probe.untilReceived(second, NEWS, "from second", rec, WAIT);
                assertThat(rec.events.subList(from, rec.size())).filteredOn(
                        e -> e instanceof SubscriberEvent.PublisherFound<String>).hasSize(1);
            }
        }
    }

    @Test
    void aPublisherReplacedUnderTheSameIdIsFollowedToItsNewAddress() throws Exception {
        Recorder<String> rec = new Recorder<>();
        try (ZmqPublisher first = ZmqPublisher.builder().register(registry, "replaced").instanceId("r-1").start();
             ZmqSubscriber<String> sub = ZmqSubscriber.builder(NEWS).discover(registry, "replaced").listener(rec)
                     .start()) {
            assertThat(rec.awaitConnected(0, first.address(), WAIT)).isTrue();
            int from = rec.size();
            // A new process takes over the same id before the old one is gone: the entry changes its address.
            try (ZmqPublisher second = ZmqPublisher.builder().register(registry, "replaced").instanceId("r-1")
                    .start()) {
                assertThat(rec.awaitConnected(from, second.address(), WAIT)).isTrue();
                assertThat(rec.awaitDisconnected(from, first.address(), WAIT)).isTrue();
                assertThat(sub.addresses()).containsExactly(second.address());
                Probe.untilReceived(second, NEWS, "from second", rec, WAIT);
            }
        }
    }

    @Test
    void theRegistrationVanishesAtOnceWhenThePublisherStops() {
        ZmqPublisher pub = ZmqPublisher.builder().register(registry, "vanishing").instanceId("v-1").start();
        String key = pub.registration().orElseThrow().key();
        assertThat(key).isEqualTo("zmq-test/vanishing/v-1");
        assertThat(registry.lookup("vanishing")).extracting(ServiceInstance::address)
                .containsExactly(pub.address().endpoint());
        pub.stop();
        assertThat(registry.lookup("vanishing")).as("gone as soon as stop returns").isEmpty();
        assertThat(client.kv().get(key)).isEmpty();
    }

    @Test
    void anUnknownNameIsATypedErrorAndLeavesNothingOpen() throws Exception {
        long before = LeakCounts.moduleThreads();
        assertThatThrownBy(() -> ZmqSubscriber.builder(NEWS).discover(registry, "nobody-here").start())
                .isInstanceOf(UnknownServiceException.class)
                .hasMessageContaining("'nobody-here'").hasMessageContaining("zmq-test/nobody-here/")
                .satisfies(e -> assertThat(((UnknownServiceException) e).serviceName()).isEqualTo("nobody-here"));
        assertThat(LeakCounts.awaitModuleThreadsAtMost(before, WAIT)).isTrue();
    }

    @Test
    void aSubscriberCanWaitForAPublisherToAppear() throws Exception {
        Recorder<String> rec = new Recorder<>();
        CompletableFuture<ZmqSubscriber<String>> starting = CompletableFuture.supplyAsync(
                () -> ZmqSubscriber.builder(NEWS).discover(registry, "late").waitForPublisher(WAIT).listener(rec)
                        .start());
        try (ZmqPublisher pub = ZmqPublisher.builder().register(registry, "late").start();
             ZmqSubscriber<String> sub = starting.get(WAIT.toSeconds() + 5, TimeUnit.SECONDS)) {
            assertThat(rec.awaitConnected(0, pub.address(), WAIT)).isTrue();
            Probe.untilReceived(pub, NEWS, "hello late subscriber", rec, WAIT);
        }
    }

    @Test
    void aWildcardBindRegistersTheAdvertisedHost() throws Exception {
        Recorder<String> rec = new Recorder<>();
        try (ZmqPublisher pub = ZmqPublisher.builder().bind("tcp://0.0.0.0:0").advertisedHost("127.0.0.1")
                .register(registry, "wild").start();
             ZmqSubscriber<String> sub = ZmqSubscriber.builder(NEWS).discover(registry, "wild").listener(rec)
                     .start()) {
            ZmqAddress advertised = ZmqAddress.parse(pub.registration().orElseThrow().instance().address());
            assertThat(advertised).isEqualTo(ZmqAddress.tcp("127.0.0.1", pub.address().port()));
            assertThat(rec.awaitConnected(0, advertised, WAIT)).isTrue();
            Probe.untilReceived(pub, NEWS, "hi", rec, WAIT);
        }
    }

    @Test
    void aPortInUseRegistersNothing() {
        try (ZmqPublisher pub = ZmqPublisher.builder().start()) {
            assertThatThrownBy(() -> ZmqPublisher.builder().bind(pub.address()).register(registry, "clash").start())
                    .isInstanceOf(AddressInUseException.class);
            assertThat(registry.lookup("clash")).isEmpty();
        }
    }

    @Test
    void subscribersFollowSeveralPublishersOfOneName() throws Exception {
        Recorder<String> rec = new Recorder<>();
        try (ZmqPublisher a = ZmqPublisher.builder().register(registry, "many").instanceId("a").start();
             ZmqPublisher b = ZmqPublisher.builder().register(registry, "many").instanceId("b").start();
             ZmqSubscriber<String> sub = ZmqSubscriber.builder(NEWS).discover(registry, "many").listener(rec)
                     .start()) {
            assertThat(rec.awaitConnected(0, a.address(), WAIT)).isTrue();
            assertThat(rec.awaitConnected(0, b.address(), WAIT)).isTrue();
            Probe.untilReceived(a, NEWS, "from a", rec, WAIT);
            Probe.untilReceived(b, NEWS, "from b", rec, WAIT);
            List<Long> publisherIds = rec.events.stream().filter(e -> e instanceof SubscriberEvent.Message<String>)
                    .map(e -> ((SubscriberEvent.Message<String>) e).publisherId()).distinct().toList();
            assertThat(publisherIds).containsExactlyInAnyOrder(a.publisherId(), b.publisherId());
        }
    }
}
