package io.etcdkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The asynchronous twins of the convenience calls do what their blocking forms do. */
class AsyncTwinsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void convenienceCallsHaveAsyncTwins() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            Kv kv = client.kv();
            kv.putAsync(Bytes.of("twins/a"), Bytes.of("1")).join();
            assertThat(kv.existsAsync("twins/a").join()).isTrue();
            assertThat(kv.putIfAbsentAsync("twins/a", "2").join()).isFalse();
            assertThat(kv.putIfAbsentAsync("twins/b", "2").join()).isTrue();
            assertThat(kv.compareAndSetAsync("twins/a", "1", "3").join()).isTrue();
            assertThat(kv.moveAsync("twins/a", "twins/c").join()).isTrue();
            assertThat(kv.deleteAsync("twins/c").join().deleted()).isEqualTo(1);
            assertThat(kv.deleteAsync(Bytes.of("twins/c")).join().deleted()).isZero();
            long rev = kv.get("twins/b").orElseThrow().modRevision();
            assertThat(kv.compareAndDelete(Bytes.of("twins/b"), rev + 1)).isFalse();
            assertThat(kv.compareAndDelete(Bytes.of("twins/b"), rev)).isTrue();
            kv.put("twins/d", "4");
            assertThat(kv.deletePrefixAsync("twins/").join().deleted()).isEqualTo(1);
        }
    }

    @Test
    void leasesAndNullArguments() {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            var keepAlive = client.leases().grantAndKeepAliveAsync(Duration.ofSeconds(5)).join();
            client.kv().put(io.etcdkit.kv.Put.of("twins-lease/k", "v").lease(keepAlive.id()));
            assertThat(client.leases().timeToLive(keepAlive.id()).keys()).isEmpty();
            assertThat(client.leases().timeToLiveWithKeysAsync(keepAlive.id()).join().keys())
                    .containsExactly(Bytes.of("twins-lease/k"));
            keepAlive.close();
            assertThatThrownBy(() -> client.kv().existsAsync((String) null)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> Range.key((String) null)).isInstanceOf(NullPointerException.class);
        }
    }
}
