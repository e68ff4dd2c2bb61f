package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FirstServiceExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void configThenRegistryThenFencedLeaderThenEachJobUnderItsLock() throws Exception {
        List<String> lines = ExampleRun.linesOf(FirstServiceExample::run, ETCD);
        assertThat(lines).containsExactly(
                "config at start: SchedulerConfig[maxParallelJobs=1, greeting=hello]",
                "config now: SchedulerConfig[maxParallelJobs=4, greeting=hi]",
                "found scheduler-1 at 10.0.0.7:8080 serving Endpoint[protocol=http, port=8080, path=/jobs]",
                "leader wrote the plan: true",
                "ran report-1 under its lock: true (hi, daily report done)",
                "ran report-2 under its lock: true (hi, weekly report done)");
        assertThat(ExampleRun.keysUnder(ETCD, FirstServiceExample.ROOT)).isZero();
    }
}
