package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WatchPrefixExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static final Pattern REVISION = Pattern.compile("(\\d+)$");

    @Test
    void snapshotThenLiveChangesThenTheHistoryWithPreviousValues() throws Exception {
        List<String> lines = ExampleRun.linesOf(WatchPrefixExample::run, ETCD);
        assertThat(lines).hasSize(10);
        long a = revision(lines.get(0));
        // a fresh member: the example's writes get consecutive revisions from the first put on
        assertThat(lines).containsExactly(
                "subscription: put examples/watch/a=1 at revision " + a,
                "subscription: put examples/watch/b=2 at revision " + (a + 1),
                "subscription: snapshot complete: 2 keys at revision " + (a + 1),
                "subscription: put examples/watch/c=3 at revision " + (a + 2),
                "subscription: delete examples/watch/a at revision " + (a + 3),
                "history: connected, delivering from revision " + a,
                "history: put examples/watch/a=1 at revision " + a,
                "history: put examples/watch/b=2 at revision " + (a + 1),
                "history: put examples/watch/c=3 at revision " + (a + 2),
                "history: delete examples/watch/a (was 1) at revision " + (a + 3));
    }

    private static long revision(String line) {
        Matcher m = REVISION.matcher(line);
        assertThat(m.find()).as("a revision at the end of '%s'", line).isTrue();
        return Long.parseLong(m.group(1));
    }
}
