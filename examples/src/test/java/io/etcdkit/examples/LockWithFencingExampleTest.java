package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LockWithFencingExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void aHolderThatLostItsLeaseCannotWriteThroughTheGuard() throws Exception {
        List<String> lines = ExampleRun.linesOf(LockWithFencingExample::run, ETCD);
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
        assertThat(ExampleRun.keysUnder(ETCD, LockWithFencingExample.LOCK + "/")).as("the lock was released").isZero();
        assertThat(ExampleRun.keysUnder(ETCD, LockWithFencingExample.STATE)).isZero();
    }
}
