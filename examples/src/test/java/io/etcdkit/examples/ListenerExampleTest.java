package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ListenerExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void theListenerCountsCallsEventsAndLockHolds() throws Exception {
        List<String> lines = ExampleRun.linesOf(ListenerExample::run, ETCD);
        assertThat(lines.get(0)).matches("holding the lock, token \\d+");
        assertThat(lines).contains("KV/Put OK: 2", "KV/Range OK: 1", "KV/DeleteRange OK: 1",
                "watch events delivered: 2", "lock holds: 1");
        assertThat(lines).filteredOn(l -> l.contains(": ") && !l.startsWith("watch") && !l.startsWith("lock"))
                .allMatch(l -> l.matches("\\w+/\\w+ OK: \\d+"));
        assertThat(ExampleRun.keysUnder(ETCD, "examples/listener/")).isZero();
    }
}
