package io.etcdkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    @Test
    void allRunsEveryWorkloadButFailoverInTheCanonicalOrder() {
        assertThat(BenchOptions.parse(new String[] {"all"}).workloads()).containsExactlyElementsOf(
                java.util.Arrays.stream(Workload.values()).filter(w -> w != Workload.FAILOVER).toList());
        assertThat(BenchOptions.parse(new String[] {"failover,put"}).workloads())
                .containsExactly(Workload.PUT, Workload.FAILOVER);
        assertThat(BenchOptions.parse(new String[] {"subscribe,put"}).workloads())
                .containsExactly(Workload.PUT, Workload.SUBSCRIBE);
    }

    @Test
    void lockSettleIsZeroByDefaultAndTakesZeroOrMore() {
        assertThat(BenchOptions.parse(new String[] {"lock"}).sizes().lockSettleMillis()).isZero();
        assertThat(BenchOptions.parse(new String[] {"lock", "--lock-settle-ms", "150"}).sizes().lockSettleMillis())
                .isEqualTo(150);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"lock", "--lock-settle-ms", "-1"}))
                .hasMessageContaining("--lock-settle-ms must be between 0");
    }

    @Test
    void rangeMeansBothRangeWorkloads() {
        assertThat(BenchOptions.parse(new String[] {"range"}).workloads())
                .containsExactly(Workload.RANGE_LINEARIZABLE, Workload.RANGE_SERIALIZABLE);
    }

    @Test
    void maxTxnOpsIsLargeForTheOwnClusterAndEtcdsDefaultForAGivenOne() {
        assertThat(BenchOptions.parse(new String[] {"bulk-load"}).maxTxnOps()).isEqualTo(2048);
        assertThat(BenchOptions.parse(new String[] {"bulk-load", "--endpoints", "http://127.0.0.1:2379"})
                .maxTxnOps()).isEqualTo(128);
        assertThat(BenchOptions.parse(new String[] {"bulk-load", "--endpoints", "http://127.0.0.1:2379",
                "--max-txn-ops", "512"}).maxTxnOps()).isEqualTo(512);
    }

    @Test
    void quickIsSmallAndAnExplicitSizeWinsWhereverItStands() {
        BenchOptions quick = BenchOptions.parse(new String[] {"--watchers", "7", "all", "--quick"});
        assertThat(quick.quick()).isTrue();
        assertThat(quick.ops()).isLessThan(BenchOptions.parse(new String[] {"all"}).ops());
        assertThat(quick.sizes().watchers()).isEqualTo(7);
        assertThat(quick.sizes().jetcdWatchers()).isEqualTo(7);
        assertThat(quick.sizes().bulkKeys()).isEqualTo(Sizes.quick().bulkKeys());
    }

    @Test
    void compareAddsJetcdAfterEtcdkitAndFirstPutsItBefore() {
        assertThat(BenchOptions.parse(new String[] {"put", "--compare", "jetcd"}).clients())
                .containsExactly("etcdkit", "jetcd");
        assertThat(BenchOptions.parse(new String[] {"put", "--compare", "jetcd", "--first", "jetcd"}).clients())
                .containsExactly("jetcd", "etcdkit");
        assertThat(BenchOptions.parse(new String[] {"put"}).clients()).containsExactly("etcdkit");
    }

    @Test
    void compareTakesAListAndGoComesLast() {
        assertThat(BenchOptions.parse(new String[] {"put", "--compare", "jetcd,go"}).clients())
                .containsExactly("etcdkit", "jetcd", "go");
        assertThat(BenchOptions.parse(new String[] {"put", "--compare", "go"}).clients())
                .containsExactly("etcdkit", "go");
        assertThat(BenchOptions.parse(new String[] {"put", "--compare=go,jetcd", "--first", "jetcd"}).clients())
                .containsExactly("jetcd", "etcdkit", "go");
        assertThat(BenchOptions.parse(new String[] {"put", "--only", "go"}).clients()).containsExactly("go");
        assertThat(BenchOptions.parse(new String[] {"put", "--clients", "go,etcdkit"}).clients())
                .containsExactly("go", "etcdkit");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"put", "--compare", "jetcd,rust"}))
                .isInstanceOf(BenchOptions.UsageException.class).hasMessageContaining("'rust'")
                .hasMessageContaining("'jetcd,go'");
    }

    @Test
    void metricsAddsTheMeteredEtcdkitRightAfterEtcdkit() {
        assertThat(BenchOptions.parse(new String[] {"put", "--metrics"}).clients())
                .containsExactly("etcdkit", "etcdkit+metrics");
        assertThat(BenchOptions.parse(new String[] {"put", "--compare", "jetcd", "--first", "jetcd", "--metrics"})
                .clients()).containsExactly("jetcd", "etcdkit", "etcdkit+metrics");
        assertThat(BenchOptions.parse(new String[] {"put", "--clients", "etcdkit+metrics,etcdkit", "--metrics"})
                .clients()).containsExactly("etcdkit+metrics", "etcdkit");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"put", "--only", "jetcd", "--metrics"}))
                .hasMessageContaining("--metrics").hasMessageContaining("needs the client etcdkit");
    }

    @Test
    void resultsGoToATimestampedFolderUnlessOutIsGiven() {
        assertThat(BenchOptions.parse(new String[] {"put"}).out().toString())
                .matches("\\.etcdkit/bench/\\d{8}-\\d{6}");
        assertThat(BenchOptions.parse(new String[] {"put", "--out", "/tmp/x"}).out()).isEqualTo(Path.of("/tmp/x"));
    }

    @Test
    void badInputSaysWhatIsWrong() {
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"gets"}))
                .hasMessageContaining("unknown workload 'gets'").hasMessageContaining("range");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"put", "--watchers", "many"}))
                .hasMessageContaining("--watchers takes a number");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"watch", "--value-size", "4"}))
                .hasMessageContaining("at least 8");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {}))
                .hasMessageContaining("no workload");
        assertThat(List.of(BenchOptions.USAGE.split("\n"))).anyMatch(l -> l.contains("--quick"));
    }
}
