package io.etcdkit.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Prometheus scrape after a few real operations shows etcdkit's meters with the values those operations give. */
class PrometheusScrapeTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static double sample(String scrape, String line) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("a sample %s in:%n%s", line, scrape).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theScrapeHasEtcdkitMetersWithSensibleValues() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        EtcdMetrics metrics = EtcdMetrics.builder(registry).tags("client", "scrape").build();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).listener(metrics).build()) {
            for (int i = 0; i < 5; i++) {
                client.kv().put("scrape/" + i, "v");
            }
            client.kv().get("scrape/0");
            client.kv().get("scrape/1");
        }
        metrics.cacheOpened("scrape/", () -> 5);
        metrics.cacheConnectionChanged("scrape/", true);
        metrics.leadershipChanged("scheduler", true);

        String scrape = registry.scrape();
        String put = "{client=\"scrape\",method=\"Put\",outcome=\"ok\",service=\"KV\",write=\"true\"}";
        String get = "{client=\"scrape\",method=\"Range\",outcome=\"ok\",service=\"KV\",write=\"false\"}";
        assertThat(scrape).contains("# TYPE etcdkit_calls_seconds summary", "# HELP etcdkit_calls_seconds ");
        assertThat(sample(scrape, "etcdkit_calls_seconds_count" + put)).isEqualTo(5);
        assertThat(sample(scrape, "etcdkit_calls_seconds_count" + get)).isEqualTo(2);
        double putSeconds = sample(scrape, "etcdkit_calls_seconds_sum" + put);
        assertThat(putSeconds).isPositive().isLessThan(30);
        assertThat(sample(scrape, "etcdkit_calls_seconds_max" + put)).isPositive().isLessThanOrEqualTo(putSeconds);
        assertThat(sample(scrape, "etcdkit_watch_watchers{client=\"scrape\"}")).isZero();
        assertThat(sample(scrape, "etcdkit_watch_events_total{client=\"scrape\"}")).isZero();
        assertThat(sample(scrape, "etcdkit_lease_keepalive_failures_total{client=\"scrape\"}")).isZero();
        assertThat(sample(scrape, "etcdkit_lock_wait_seconds_count{client=\"scrape\"}")).isZero();
        assertThat(sample(scrape, "etcdkit_cache_size_entries{cache=\"scrape/\",client=\"scrape\"}")).isEqualTo(5);
        assertThat(sample(scrape, "etcdkit_cache_connected{cache=\"scrape/\",client=\"scrape\"}")).isEqualTo(1);
        assertThat(sample(scrape, "etcdkit_election_leader{client=\"scrape\",election=\"scheduler\"}")).isEqualTo(1);
        assertThat(sample(scrape, "etcdkit_election_changes_total{client=\"scrape\",election=\"scheduler\","
                + "leader=\"true\"}")).isEqualTo(1);
        assertThat(scrape).doesNotContain("outcome=\"unavailable\"", "etcdkit_call_retries");
    }
}
