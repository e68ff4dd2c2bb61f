package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Paged iteration over a large prefix at one pinned revision. */
class PagingTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final int KEYS = 20_000;

    static EtcdClient client;
    static Kv kv;

    @BeforeAll
    static void load() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
        kv = client.kv();
        Map<Bytes, Bytes> entries = new LinkedHashMap<>();
        for (int i = 0; i < KEYS; i++) {
            entries.put(Bytes.of(String.format("page/k%06d", i)), Bytes.of("value-" + i));
        }
        assertThat(kv.bulkLoader(128, 16).load(entries)).isEqualTo(KEYS);
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void scanReturnsEveryKeyOnceInOrder() {
        List<String> keys;
        try (Stream<KeyValue> s = kv.scan(Range.prefix("page/"), 999)) {
            keys = s.map(KeyValue::keyAsString).toList();
        }
        assertThat(keys).hasSize(KEYS).doesNotHaveDuplicates().isSorted();
        assertThat(keys.get(0)).isEqualTo("page/k000000");
        assertThat(keys.get(KEYS - 1)).isEqualTo(String.format("page/k%06d", KEYS - 1));
    }

    @Test
    void scanIsOneSnapshotEvenWhileKeysChange() {
        Iterator<KeyValue> it = kv.scan(Range.prefix("page/"), 500).iterator();
        List<KeyValue> seen = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            seen.add(it.next());
        }
        long pinned = seen.get(0).modRevision();
        // Writes after the first page must not show up in later pages, and deletions must not hide keys.
        kv.put("page/k000100x", "inserted later");
        kv.put(String.format("page/k%06d", KEYS - 1), "changed later");
        kv.delete(String.format("page/k%06d", KEYS - 2));
        it.forEachRemaining(seen::add);
        assertThat(seen).hasSize(KEYS);
        assertThat(seen).extracting(KeyValue::keyAsString).doesNotContain("page/k000100x");
        assertThat(seen.get(KEYS - 1).valueAsString()).isEqualTo("value-" + (KEYS - 1));
        assertThat(pinned).isPositive();
        kv.delete("page/k000100x");
        kv.put(String.format("page/k%06d", KEYS - 1), "value-" + (KEYS - 1));
        kv.put(String.format("page/k%06d", KEYS - 2), "value-" + (KEYS - 2));
    }

    @Test
    void keysOnlyListingOfAllKeys() {
        assertThat(kv.listKeys("page/")).hasSize(KEYS);
        assertThat(kv.count(Range.prefix("page/"))).isEqualTo(KEYS);
    }

    @Test
    void scanRefusesSortedOrLimitedRanges() {
        assertThatThrownBy(() -> kv.scan(Range.prefix("page/").limit(5), 10))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> kv.scan(Range.prefix("page/"), 0)).isInstanceOf(InvalidArgumentException.class);
    }
}
