package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Namespaced views see only their own keys, named relative to the prefix. */
class NamespaceTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static EtcdClient client;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void keysArePrefixedOnTheWayInAndStrippedOnTheWayOut() {
        EtcdClient a = client.withNamespace("/tenant-a/");
        EtcdClient b = client.withNamespace("/tenant-b/");
        a.kv().put("config", "A");
        b.kv().put("config", "B");
        assertThat(client.kv().get("/tenant-a/config")).map(KeyValue::valueAsString).contains("A");
        assertThat(a.kv().get("config")).map(KeyValue::keyAsString).contains("config");
        assertThat(b.kv().get("config")).map(KeyValue::valueAsString).contains("B");
    }

    @Test
    void wholeRangesStayInsideTheNamespace() {
        EtcdClient a = client.withNamespace("/ns-all/");
        client.kv().put("/ns-all", "the namespace key itself is outside");
        client.kv().put("/ns-all0", "sibling outside");
        a.kv().put("x", "1");
        a.kv().put("y", "2");
        assertThat(a.kv().range(Range.all()).kvs()).extracting(KeyValue::keyAsString).containsExactly("x", "y");
        assertThat(a.kv().range(Range.from("x")).kvs()).extracting(KeyValue::keyAsString)
                .containsExactly("x", "y");
        assertThat(a.kv().delete(Delete.all()).deleted()).isEqualTo(2);
        assertThat(client.kv().exists("/ns-all")).isTrue();
        assertThat(client.kv().exists("/ns-all0")).isTrue();
    }

    @Test
    void transactionsAndComparesAreNamespacedToo() {
        EtcdClient a = client.withNamespace("/ns-txn/");
        assertThat(a.kv().putIfAbsent("k", "v")).isTrue();
        assertThat(client.kv().exists("/ns-txn/k")).isTrue();
        assertThat(a.kv().compareAndSet("k", "v", "w")).isTrue();
        assertThat(client.kv().get("/ns-txn/k")).map(KeyValue::valueAsString).contains("w");
    }

    @Test
    void namespacesNestAndDeadlineViewsShareTheConnection() {
        EtcdClient nested = client.withNamespace("/outer/").withNamespace("inner/");
        nested.kv().put("k", "v");
        assertThat(client.kv().exists("/outer/inner/k")).isTrue();
        EtcdClient fast = nested.withDeadline(Duration.ofSeconds(2));
        assertThat(fast.deadline()).isEqualTo(Duration.ofSeconds(2));
        assertThat(fast.namespace().toStringUtf8()).isEqualTo("/outer/inner/");
        assertThat(fast.kv().get("k")).isPresent();
        fast.close(); // a view's close does nothing
        assertThat(client.kv().get("/outer/inner/k")).isPresent();
    }
}
