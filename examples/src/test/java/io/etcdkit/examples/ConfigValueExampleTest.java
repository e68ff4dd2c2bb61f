package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConfigValueExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void defaultThenValueThenLastGoodThroughMalformedJsonThenDefaultAgain() throws Exception {
        List<String> lines = ExampleRun.linesOf(ConfigValueExample::run, ETCD);
        assertThat(lines).containsExactly(
                "  listener: now AppConfig[mode=safe, workers=1] (the default: no key)",
                "missing key: AppConfig[mode=safe, workers=1]",
                "  listener: now AppConfig[mode=fast, workers=8]",
                "after a put: AppConfig[mode=fast, workers=8]",
                "  listener: malformed value at examples/config/app ignored (json(" + ConfigValueExample.AppConfig.class.getName() + "))",
                "after malformed JSON: AppConfig[mode=fast, workers=8]",
                "  listener: now AppConfig[mode=safe, workers=1]",
                "after a delete: AppConfig[mode=safe, workers=1]");
        assertThat(ExampleRun.keysUnder(ETCD, ConfigValueExample.KEY)).isZero();
    }
}
