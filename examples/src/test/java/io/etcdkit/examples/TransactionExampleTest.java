package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TransactionExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void atomicHelpersOptimisticUpdatesAndAnAllOrNothingTransfer() throws Exception {
        List<String> lines = ExampleRun.linesOf(TransactionExample::run, ETCD);
        assertThat(lines).hasSize(11);
        assertThat(lines.subList(0, 6)).containsExactly(
                "first putIfAbsent: true",
                "second putIfAbsent: false",
                "compareAndSet alice->carol: true",
                "compareAndSet alice->dave: false",
                "stored at examples/txn/owner: carol",
                "counter after increment: 8");
        assertThat(lines.get(6)).matches("transfer 30: done at revision \\d+");
        assertThat(lines.subList(7, 11)).containsExactly(
                "transfer 500: refused, alice has only 70",
                "balances: alice=70 bob=50",
                "create order-1: created",
                "create order-1 again: already there");
        assertThat(ExampleRun.keysUnder(ETCD, TransactionExample.PREFIX)).isZero();
    }
}
