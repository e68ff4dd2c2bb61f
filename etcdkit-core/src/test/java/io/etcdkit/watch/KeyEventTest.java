package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Puts and deletes seen through one {@link KeyEvent} view carry the same key, revision and previous value. */
class KeyEventTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void putAndDeleteAnswerTheSameQuestions() {
        List<KeyEvent> changes = new CopyOnWriteArrayList<>();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            long put = client.kv().put("ke/a", "1").revision();
            client.kv().delete("ke/a");
            try (Watcher w = client.watches().watch(Watch.prefix("ke/").fromRevision(put).withPreviousValues(), e -> {
                if (e instanceof KeyEvent change) {
                    changes.add(change);
                }
            })) {
                Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 2);
            }
        }
        KeyEvent p = changes.get(0);
        KeyEvent d = changes.get(1);
        assertThat(p).isInstanceOf(PutEvent.class);
        assertThat(d).isInstanceOf(DeleteEvent.class);
        assertThat(p.keyAsString()).isEqualTo("ke/a").isEqualTo(d.keyAsString());
        assertThat(p.key()).isEqualTo(d.key());
        assertThat(((PutEvent) p).valueAsString()).isEqualTo("1");
        assertThat(d.revision()).isGreaterThan(p.revision());
        assertThat(p.previous()).isEmpty();
        assertThat(d.previous()).get().extracting(kv -> kv.valueAsString()).isEqualTo("1");
    }
}
