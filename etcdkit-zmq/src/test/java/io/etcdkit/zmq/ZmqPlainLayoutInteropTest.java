package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The plain registry layout of the ZeroMQ system's other implementations (key = service name, value = the plain
 * address, 30 s lease), in both directions with the Python peer. Skipped, saying why, only when Debian's
 * python3-zmq and python3-etcd3 are not installed.
 */
@SuppressWarnings("try")
class ZmqPlainLayoutInteropTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(20);

    record Quote(String symbol, long price) {
    }

    static final Topic<Quote> QUOTES = Topic.of("quotes", JacksonCodecs.json(Quote.class));

    static EtcdClient client;
    static PeerDirectory plain;
    static String etcdHostPort;

    @BeforeAll
    static void setUp() {
        PythonPeer.assumeAvailable();
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        plain = PeerDirectory.plain(client);
        etcdHostPort = PythonPeer.hostPort(ETCD.clientEndpoints());
    }

    @AfterAll
    static void tearDown() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aPythonPublisherRegisteredInThePlainLayoutIsFoundAndReadByJava() throws Exception {
        Recorder<Quote> rec = new Recorder<>();
        try (PythonPeer py = PythonPeer.start("publish", "--layout", "plain", "--etcd", etcdHostPort, "--name",
                "py-plain-quotes", "--topic", "quotes")) {
            String ready = py.awaitLine("READY ", WAIT).orElseThrow(
                    () -> new AssertionError("python publisher did not start: " + py.output()));
            ZmqAddress pyAddress = ZmqAddress.parse(ready.substring("READY ".length()));

            KeyValue raw = client.kv().get("py-plain-quotes").orElseThrow();
            assertThat(raw.valueAsString()).as("the value is the plain address").isEqualTo(pyAddress.endpoint());
            assertThat(client.leases().timeToLive(raw.lease()).granted()).isEqualTo(Duration.ofSeconds(30));
            List<ServiceInstance> found = plain.lookup("py-plain-quotes");
            assertThat(found).extracting(ServiceInstance::address).containsExactly(pyAddress.endpoint());

            try (ZmqSubscriber<Quote> sub = ZmqSubscriber.builder(QUOTES).discover(plain, "py-plain-quotes")
                    .listener(rec).start()) {
                assertThat(rec.awaitConnected(0, pyAddress, WAIT)).isTrue();
                assertThat(rec.awaitMessages(20, WAIT)).as("events %s", rec.events).isTrue();
                List<SubscriberEvent.Message<Quote>> messages = rec.ofType(SubscriberEvent.Message.class);
                assertThat(messages).allSatisfy(m -> assertThat(m.value().symbol()).isEqualTo("PY"));
                assertThat(rec.ofType(SubscriberEvent.Malformed.class)).isEmpty();

                int from = rec.size();
                py.tell("stop"); // the Python peer revokes its lease: the key vanishes
                assertThat(py.awaitExit(WAIT)).as("python output %s", py.output()).isZero();
                assertThat(rec.await(from, WAIT, e -> e instanceof SubscriberEvent.PublisherGone<Quote> g
                        && g.instance().address().equals(pyAddress.endpoint()))).isPresent();
                assertThat(rec.awaitDisconnected(from, pyAddress, WAIT)).isTrue();
                assertThat(plain.lookup("py-plain-quotes")).isEmpty();
            }
        }
    }

    @Test
    void aJavaPublisherRegisteredInThePlainLayoutIsFoundAndReadByPython() throws Exception {
        try (ZmqPublisher pub = ZmqPublisher.builder().register(plain, "java-plain-quotes").start()) {
            KeyValue raw = client.kv().get("java-plain-quotes").orElseThrow();
            assertThat(raw.valueAsString()).as("etcdctl get java-plain-quotes prints the address")
                    .isEqualTo(pub.address().endpoint());
            assertThat(client.leases().timeToLive(raw.lease()).granted()).isEqualTo(Duration.ofSeconds(30));
            assertThat(pub.registered().orElseThrow().key()).isEqualTo("java-plain-quotes");
            assertThat(pub.registration()).as("no registry-layout registration").isEmpty();

            try (PythonPeer py = PythonPeer.start("subscribe", "--layout", "plain", "--etcd", etcdHostPort,
                    "--name", "java-plain-quotes", "--topic", "quotes", "--count", "20", "--timeout", "30")) {
                long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
                long price = 0;
                while (py.isAlive() && System.nanoTime() < deadline) {
                    pub.send(QUOTES, new Quote("JAVA", ++price));
                    Thread.sleep(5);
                }
                assertThat(py.awaitExit(Duration.ofSeconds(5))).as("python output %s", py.output()).isZero();
                assertThat(py.output()).contains("FOUND java-plain-quotes " + pub.address().endpoint() + " -")
                        .contains("DONE 20");
            }
            pub.stop();
            assertThat(client.kv().get("java-plain-quotes")).as("stop revokes the lease").isEmpty();
        }
    }
}
