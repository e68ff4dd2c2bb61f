package io.etcdkit.zmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Java and Python (Debian's python3-zmq and python3-etcd3) find each other through the same registry entries and
 * speak the same frames. Skipped, saying why, only when those packages are not installed.
 */
@SuppressWarnings("try") // subscribers opened in try-with-resources only to be closed
class ZmqPythonInteropTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String ROOT = "interop/";

    record Quote(String symbol, long price) {
    }

    static final Topic<Quote> QUOTES = Topic.of("quotes", JacksonCodecs.json(Quote.class));

    static EtcdClient client;
    static ServiceRegistry registry;
    static String etcdHostPort;

    @BeforeAll
    static void setUp() {
        PythonPeer.assumeAvailable();
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        registry = ServiceRegistry.of(client, ROOT);
        etcdHostPort = PythonPeer.hostPort(ETCD.clientEndpoints());
    }

    @AfterAll
    static void tearDown() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aPythonPublisherRegisteredByNameIsFoundAndReadByJava() throws Exception {
        Recorder<Quote> rec = new Recorder<>();
        try (PythonPeer py = PythonPeer.start("publish", "--etcd", etcdHostPort, "--root", ROOT, "--name",
                "py-quotes", "--id", "py-1", "--topic", "quotes", "--ttl", "5")) {
            String ready = py.awaitLine("READY ", WAIT).orElseThrow(
                    () -> new AssertionError("python publisher did not start: " + py.output()));
            ZmqAddress pyAddress = ZmqAddress.parse(ready.substring("READY ".length()));

            // Python wrote the entry in the registry's own layout and JSON: the Java registry reads it as is.
            List<ServiceInstance> found = registry.lookup("py-quotes");
            assertThat(found).hasSize(1);
            assertThat(found.get(0).id()).isEqualTo("py-1");
            assertThat(found.get(0).address()).isEqualTo(pyAddress.endpoint());
            assertThat(found.get(0).metadata()).containsEntry("framing", ZmqPublisher.FRAMING);
            assertThat(client.kv().get(ROOT + "py-quotes/py-1").orElseThrow().lease()).as("under a lease")
                    .isNotZero();

            try (ZmqSubscriber<Quote> sub = ZmqSubscriber.builder(QUOTES).discover(registry, "py-quotes")
                    .listener(rec).start()) {
                assertThat(rec.awaitConnected(0, pyAddress, WAIT)).isTrue();
                // Python publishes every 10 ms; wait for 20 messages after the connection.
                assertThat(rec.awaitMessages(20, WAIT)).as("events %s", rec.events).isTrue();
                List<SubscriberEvent.Message<Quote>> messages = rec.ofType(SubscriberEvent.Message.class);
                assertThat(messages).allSatisfy(m -> assertThat(m.value().symbol()).isEqualTo("PY"));
                assertThat(messages).extracting(m -> m.value().price()).isSorted();
                assertThat(messages.stream().map(SubscriberEvent.Message::sequence).toList())
                        .as("sequence = price: the header is read as Python wrote it")
                        .isEqualTo(messages.stream().map(m -> m.value().price()).toList());
                assertThat(rec.ofType(SubscriberEvent.Malformed.class)).isEmpty();

                int from = rec.size();
                py.tell("stop"); // the Python peer revokes its lease
                assertThat(py.awaitExit(WAIT)).as("python output %s", py.output()).isZero();
                assertThat(rec.await(from, WAIT, e -> e instanceof SubscriberEvent.PublisherGone<Quote> g
                        && g.instance().id().equals("py-1"))).isPresent();
                assertThat(rec.awaitDisconnected(from, pyAddress, WAIT)).isTrue();
                assertThat(registry.lookup("py-quotes")).isEmpty();
            }
        }
    }

    @Test
    void aJavaPublisherRegisteredByNameIsFoundAndReadByPython() throws Exception {
        try (ZmqPublisher pub = ZmqPublisher.builder().register(registry, "java-quotes").instanceId("java-1")
                .start();
             PythonPeer py = PythonPeer.start("subscribe", "--etcd", etcdHostPort, "--root", ROOT, "--name",
                     "java-quotes", "--topic", "quotes", "--count", "20", "--timeout", "30")) {
            // Publish until the Python subscriber has its 20 messages (it joins at an unknown moment).
            long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
            long price = 0;
            while (py.isAlive() && System.nanoTime() < deadline) {
                pub.send(QUOTES, new Quote("JAVA", ++price));
                pub.send(Topic.of("quotes.other", Codecs.text()), "not for python");
                Thread.sleep(5);
            }
            assertThat(py.awaitExit(Duration.ofSeconds(5))).as("python output %s", py.output()).isZero();
            List<String> out = py.output();
            assertThat(out).contains("FOUND java-1 " + pub.address().endpoint() + " " + ZmqPublisher.FRAMING);
            assertThat(out).contains("DONE 20");
            String hexId = String.format("%016x", pub.publisherId());
            List<String> got = out.stream().filter(l -> l.startsWith("GOT ")).toList();
            assertThat(got).hasSize(20).allSatisfy(l -> assertThat(l).startsWith("GOT " + hexId + " ")
                    .contains("{\"price\": ").contains("\"symbol\": \"JAVA\"}"));
        }
    }

    @Test
    void pythonSaysSoWhenTheNameIsUnknown() throws Exception {
        try (PythonPeer py = PythonPeer.start("subscribe", "--etcd", etcdHostPort, "--root", ROOT, "--name",
                "nobody", "--topic", "quotes", "--count", "1", "--timeout", "2")) {
            assertThat(py.awaitExit(WAIT)).isEqualTo(2);
            assertThat(py.output()).contains("UNKNOWN " + ROOT + "nobody/");
        }
    }
}
