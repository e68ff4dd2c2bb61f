package io.etcdkit.recipes.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Typed payloads of service instances, written and read through a real member. */
class ServicePayloadTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    record Endpoint(String protocol, int port, List<String> tags) {
    }

    static final ValueCodec<Endpoint> ENDPOINT = JacksonCodecs.json(Endpoint.class);

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @Test
    void aPayloadRegisteredWithACodecIsReadBackWithItByLookupWatchAndProvider() throws Exception {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "payload-typed");
            Endpoint grpc = new Endpoint("grpc", 9090, List.of("eu", "canary"));
            ServiceInstance a = new ServiceInstance("a-1", "10.0.0.1", Map.of("zone", "z1")).withPayload(grpc, ENDPOINT);
            try (Registration r = registry.register("jobs", a);
                    ServiceWatch watch = registry.watch("jobs", ENDPOINT)) {
                assertThat(registry.lookup("jobs", ENDPOINT)).singleElement()
                        .satisfies(i -> assertThat(i.payload(ENDPOINT)).contains(grpc))
                        .satisfies(i -> assertThat(i.metadata()).containsEntry("zone", "z1"));
                assertThat(registry.lookupAsync("jobs", ENDPOINT).get(5, TimeUnit.SECONDS)).singleElement()
                        .satisfies(i -> assertThat(i.payload(ENDPOINT)).contains(grpc));
                assertThat(watch.awaitReady(Duration.ofSeconds(5))).isTrue();
                assertThat(watch.instances()).containsExactly(a);
                ServiceInstance picked = InstanceProvider.roundRobin(watch).next().orElseThrow();
                assertThat(picked.payload(ENDPOINT)).contains(grpc);
            }
        }
    }

    @Test
    void theWireFormatIsTheOldJsonPlusABase64PayloadFieldOnlyWhenThereIsOne() {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "payload-wire");
            try (Registration plain = registry.register("s", new ServiceInstance("p", "h:1", Map.of("v", "1")));
                    Registration typed = registry.register("s",
                            ServiceInstance.of("t", "h:2").withPayload("hello", Codecs.text()))) {
                assertThat(client.kv().get("payload-wire/s/p").orElseThrow().valueAsString())
                        .isEqualTo("{\"id\":\"p\",\"address\":\"h:1\",\"metadata\":{\"v\":\"1\"}}");
                assertThat(client.kv().get("payload-wire/s/t").orElseThrow().valueAsString())
                        .isEqualTo("{\"id\":\"t\",\"address\":\"h:2\",\"metadata\":{},\"payload\":\"aGVsbG8=\"}");
                // an older reader (the record read by plain Jackson, which ignores unknown fields) still reads it
                OldInstance old = JacksonCodecs.json(OldInstance.class)
                        .decode(client.kv().get("payload-wire/s/t").orElseThrow().value());
                assertThat(old).isEqualTo(new OldInstance("t", "h:2", Map.of()));
            }
        }
    }

    /** The instance record as versions before the payload read it. */
    record OldInstance(String id, String address, Map<String, String> metadata) {
    }

    @Test
    void instancesWrittenWithoutPayloadOrByOtherWritersStillRead() {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "payload-old");
            // as earlier versions (and other languages) write it: no payload field, metadata may be absent
            client.kv().put("payload-old/s/x", "{\"id\":\"x\",\"address\":\"h:1\",\"metadata\":{\"v\":\"1\"}}");
            client.kv().put("payload-old/s/y", "{\"id\":\"y\",\"address\":\"h:2\",\"extra\":true}");
            List<ServiceInstance> found = registry.lookup("s", ENDPOINT);
            assertThat(found).extracting(ServiceInstance::id).containsExactly("x", "y");
            assertThat(found.get(0).payload(ENDPOINT)).isEmpty();
            assertThat(found.get(0).hasPayload()).isFalse();
            assertThat(found.get(1).metadata()).isEmpty();
            assertThat(registry.lookup("s")).isEqualTo(found);
        }
    }

    @Test
    void aPayloadTheCodecCannotReadIsSkippedAndReportedNeverSilentlyDropped() throws Exception {
        try (EtcdClient client = client()) {
            ServiceRegistry registry = ServiceRegistry.of(client, "payload-bad");
            ServiceInstance good = ServiceInstance.of("a", "h:1")
                    .withPayload(new Endpoint("http", 80, List.of()), ENDPOINT);
            ServiceInstance other = ServiceInstance.of("b", "h:2").withPayload("not json {", Codecs.text());
            try (Registration g = registry.register("s", good);
                    Registration o = registry.register("s", other);
                    ServiceWatch watch = registry.watch("s", ENDPOINT)) {
                List<String> skipped = new CopyOnWriteArrayList<>();
                watch.addListener(new ServiceWatchListener() {
                    @Override
                    public void skipped(String key, ValueDecodingException error) {
                        skipped.add(key + " " + error.getMessage());
                    }
                });
                assertThat(registry.lookup("s", ENDPOINT)).containsExactly(good);
                assertThat(registry.lookupAsync("s", ENDPOINT).get(5, TimeUnit.SECONDS)).containsExactly(good);
                assertThat(registry.lookup("s")).containsExactly(good, other); // without a codec: both, raw
                assertThat(watch.awaitReady(Duration.ofSeconds(5))).isTrue();
                assertThat(watch.instances()).containsExactly(good);
                // a listener added after the snapshot hears later skips: rewrite b with another unreadable payload
                registry.register("s", ServiceInstance.of("b", "h:3").withPayload("still not json", Codecs.text()))
                        .close();
                registry.register("s", ServiceInstance.of("c", "h:4").withPayload("[1]", Codecs.text()));
                await().atMost(Duration.ofSeconds(5)).until(() -> skipped.size() >= 2);
                assertThat(skipped).allSatisfy(s -> assertThat(s).startsWith("payload-bad/s/"));
                assertThat(skipped).anySatisfy(s -> assertThat(s).contains("payload-bad/s/c").contains("another codec"));
                assertThat(watch.instances()).containsExactly(good);
                assertThatThrownBy(() -> other.payload(ENDPOINT)).isInstanceOf(ValueDecodingException.class)
                        .hasMessageContaining("instance b");
            }
        }
    }
}
