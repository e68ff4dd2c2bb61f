package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockWithFencingExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void aHolderThatLostItsLeaseCannotWriteThroughTheGuard() throws Exception {
        ExampleRun run = new ExampleRun();
        LockWithFencingExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        List<String> lines = run.lines();
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).matches("A holds the lock with fencing token \\d+");
        assertThat(lines.subList(1, 4)).containsExactly(
                "A's guarded write applied: true",
                "B's tryLock while A holds it: busy",
                "A's session is now EXPIRED");
        assertThat(lines.get(4)).matches("B holds the lock with fencing token \\d+ \\(greater than A's: true\\)");
        assertThat(lines.subList(5, 7)).containsExactly(
                "A's late guarded write applied: false",
                "state: written by B");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix(LockWithFencingExample.LOCK + "/"))).isZero();
            assertThat(client.kv().exists(LockWithFencingExample.STATE)).isFalse();
        }
    }
}
