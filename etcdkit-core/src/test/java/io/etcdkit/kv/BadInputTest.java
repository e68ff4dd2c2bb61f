package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.InvalidConfigurationException;
import io.etcdkit.KeyValue;
import io.etcdkit.RequestTooLargeException;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input gets a clear typed error and changes nothing that is stored. */
class BadInputTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client;
    static Kv kv;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        kv = client.kv();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void emptyKeyIsRefusedBeforeSending() {
        assertThatThrownBy(() -> kv.put("", "v")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("must not be empty");
        assertThatThrownBy(() -> kv.get("")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> kv.delete("")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Compare.value("").equalTo("x")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void valueOverTheServerLimitIsRefusedAndTheOldValueStays() {
        kv.put("big/k", "small");
        Bytes huge = Bytes.of(new byte[2 * 1024 * 1024]);
        assertThatThrownBy(() -> kv.put(Bytes.of("big/k"), huge)).isInstanceOf(RequestTooLargeException.class)
                .hasMessageContaining("max-request-bytes");
        assertThat(kv.get("big/k")).map(KeyValue::valueAsString).contains("small");
    }

    @Test
    void valueOverTheClientLimitIsRefusedUnsent() {
        try (EtcdClient small = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                .maxOutboundMessageSize(64 * 1024).build()) {
            small.kv().put("big/c", "small");
            assertThatThrownBy(() -> small.kv().put(Bytes.of("big/c"), Bytes.of(new byte[100 * 1024])))
                    .isInstanceOf(RequestTooLargeException.class);
            assertThat(kv.get("big/c")).map(KeyValue::valueAsString).contains("small");
        }
    }

    @Test
    void invalidRangesAndOptionsAreRefused() {
        assertThatThrownBy(() -> Range.between("b", "a")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("less than its end");
        assertThatThrownBy(() -> Range.prefix("p").limit(-1)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Put.of("k", "v").lease(-5)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> kv.move("same", "same")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void malformedEndpointsAndSettingsFailAtBuild() {
        assertThatThrownBy(() -> EtcdClient.builder().endpoints("ftp://host:1").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("http://");
        assertThatThrownBy(() -> EtcdClient.builder().endpoints("http://nohost").build())
                .isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("port");
        for (String outOfRange : new String[] {"http://127.0.0.1:99999", "http://127.0.0.1:65536",
                "http://127.0.0.1:0", "127.0.0.1:70000"}) {
            assertThatThrownBy(() -> EtcdClient.builder().endpoints(outOfRange).build())
                    .as(outOfRange).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("outside 1-65535");
        }
        assertThatThrownBy(() -> EtcdClient.builder().deadline(java.time.Duration.ZERO))
                .isInstanceOf(InvalidConfigurationException.class);
        assertThatThrownBy(() -> EtcdClient.builder().keepAlive(java.time.Duration.ofSeconds(1),
                java.time.Duration.ofSeconds(1))).isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("grpc-keepalive-min-time");
    }
}
