package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.Bytes;
import io.etcdkit.kv.Delete;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code etcdkit watch} run in-process against a real member (interrupting its thread is what Ctrl-C does): the
 * events it prints, the connection lines, snapshot, history and compaction. The terminal test drives it through
 * a real terminal.
 */
@Timeout(180)
class WatchCommandTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @BeforeEach
    void empty() {
        ETCD.client().kv().delete(Delete.all());
    }

    private static List<String> eventLines(String out) {
        return out.lines().filter(l -> !l.startsWith("#")).toList();
    }

    @Test
    void printsEveryChangeUnderThePrefixUntilInterrupted() {
        try (Cli.Background w = ETCD.start("watch", "app/", "--prefix")) {
            w.awaitOut("# watching from revision");
            long first = ETCD.client().kv().put("app/a", "1").revision();
            ETCD.client().kv().put("app/b", "two\nlines");
            ETCD.client().kv().put("other/x", "not watched");
            ETCD.client().kv().delete("app/a");
            ETCD.client().kv().put("app/c", "last");
            w.awaitOut("PUT app/c");
            assertThat(w.stop()).isEqualTo(ExitCode.INTERRUPTED);
            assertThat(w.out()).startsWith("# watching from revision " + first + " on ");
            assertThat(eventLines(w.out())).containsExactly(
                    "PUT app/a = 1 (rev " + first + ")",
                    "PUT app/b = two\\nlines (rev " + (first + 1) + ")",
                    "DELETE app/a (rev " + (first + 3) + ")",
                    "PUT app/c = last (rev " + (first + 4) + ")");
            assertThat(w.err()).isEmpty();
        }
    }

    @Test
    void jsonLinesForOneKey() {
        try (Cli.Background w = ETCD.start("watch", "k", "-o", "json")) {
            w.awaitOut("\"connected\"");
            ETCD.client().kv().put("k", "v");
            ETCD.client().kv().put("k2", "not this one");
            ETCD.client().kv().delete("k");
            w.awaitOut("\"delete\"");
            w.stop();
            List<JsonNode> events = Cli.jsonLinesOf(w.out());
            assertThat(events).extracting(e -> e.get("type").asText()).containsExactly("connected", "put", "delete");
            assertThat(events.get(1).get("key").asText()).isEqualTo("k");
            assertThat(events.get(1).get("value").asText()).isEqualTo("v");
            assertThat(events.get(1).get("version").asLong()).isEqualTo(1);
            assertThat(events.get(2).get("revision").asLong()).isEqualTo(events.get(1).get("revision").asLong() + 2);
        }
    }

    @Test
    void snapshotPrintsTheCurrentKeysThenLiveChanges() {
        ETCD.client().kv().put("svc/a", "1");
        ETCD.client().kv().put("svc/b", "2");
        try (Cli.Background w = ETCD.start("watch", "svc/", "--prefix", "--snapshot")) {
            w.awaitOut("# snapshot complete: 2 keys");
            ETCD.client().kv().put("svc/c", "3");
            w.awaitOut("PUT svc/c = 3");
            w.stop();
            List<String> lines = w.out().lines().toList();
            assertThat(lines.get(0)).startsWith("PUT svc/a = 1");
            assertThat(lines.get(1)).startsWith("PUT svc/b = 2");
            assertThat(lines.get(2)).startsWith("# snapshot complete: 2 keys at revision ");
            assertThat(lines.get(3)).startsWith("PUT svc/c = 3");
        }
    }

    @Test
    void snapshotOfOneKeyLeavesOutLongerKeys() {
        ETCD.client().kv().put("cfg", "1");
        ETCD.client().kv().put("cfg-old", "x");
        try (Cli.Background w = ETCD.start("watch", "cfg", "--snapshot")) {
            w.awaitOut("# snapshot complete");
            ETCD.client().kv().put("cfg-old", "y");
            ETCD.client().kv().put("cfg", "2");
            w.awaitOut("PUT cfg = 2");
            w.stop();
            assertThat(eventLines(w.out())).extracting(l -> l.replaceAll(" \\(rev \\d+\\)", ""))
                    .containsExactly("PUT cfg = 1", "PUT cfg = 2");
        }
    }

    @Test
    void fromRevisionReplaysHistory() {
        long first = ETCD.client().kv().put("hist", "1").revision();
        ETCD.client().kv().put("hist", "2");
        try (Cli.Background w = ETCD.start("watch", "hist", "--from-rev", Long.toString(first))) {
            w.awaitOut("PUT hist = 2");
            w.stop();
            assertThat(eventLines(w.out())).containsExactly("PUT hist = 1 (rev " + first + ")",
                    "PUT hist = 2 (rev " + (first + 1) + ")");
        }
    }

    @Test
    void compactedHistoryEndsAPlainWatchWithExitOne() {
        long first = ETCD.client().kv().put("old", "1").revision();
        long last = ETCD.client().kv().put("old", "2").revision();
        ETCD.client().kv().put("old", "3");
        ETCD.client().maintenance().compact(last, true);
        try (Cli.Background w = ETCD.start("watch", "old", "--from-rev", Long.toString(first))) {
            assertThat(w.awaitExit()).isEqualTo(ExitCode.FAILURE);
            assertThat(w.out()).contains("# compacted: the changes from revision " + first + " are gone");
            assertThat(w.err().strip()).startsWith("etcdkit watch: the watch ended").contains("--snapshot")
                    .doesNotContain("\n");
        }
    }

    @Test
    void reportsDisconnectAndResumeAndLosesNothing() {
        try (Cli.Background w = ETCD.start("watch", "net/", "--prefix")) {
            w.awaitOut("# watching from revision");
            long before = ETCD.client().kv().put("net/a", "before").revision();
            w.awaitOut("PUT net/a = before");
            ETCD.cluster().member(0).stop();
            w.awaitOut("# disconnected: ");
            ETCD.cluster().member(0).start();
            w.awaitOut("# resumed from revision " + (before + 1));
            ETCD.client().kv().put("net/b", "after");
            w.awaitOut("PUT net/b = after");
            w.stop();
            assertThat(eventLines(w.out())).containsExactly("PUT net/a = before (rev " + before + ")",
                    "PUT net/b = after (rev " + (before + 1) + ")");
        }
    }

    @Test
    void aBurstLargerThanTheBufferArrivesWholeAndInOrder() {
        int keys = 3000;
        try (Cli.Background w = ETCD.start("watch", "burst/", "--prefix")) {
            w.awaitOut("# watching from revision");
            Map<Bytes, Bytes> batch = new LinkedHashMap<>();
            for (int i = 0; i < keys; i++) {
                batch.put(Bytes.of(String.format("burst/%05d", i)), Bytes.of("v" + i));
            }
            assertThat(ETCD.client().kv().bulkLoader(100, 8).load(batch)).isEqualTo(keys);
            w.awaitOut(keys + " PUT lines", out -> eventLines(out).size() >= keys);
            w.stop();
            List<String> lines = eventLines(w.out());
            assertThat(lines).hasSize(keys).allMatch(l -> l.startsWith("PUT burst/"));
            assertThat(lines.stream().map(l -> l.substring(4, l.indexOf(' ', 4))).distinct().count()).isEqualTo(keys);
            List<Long> revisions = lines.stream().map(l -> Long.parseLong(l.replaceAll(".*\\(rev (\\d+)\\)", "$1")))
                    .toList();
            assertThat(revisions).isSorted();
        }
    }

    @Test
    void conflictingOptionsAreUsageErrors() {
        Cli.Result both = ETCD.run("watch", "k", "--snapshot", "--from-rev", "3");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.errLine()).contains("--snapshot and --from-rev");
        Cli.Result empty = ETCD.run("watch", "");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.errLine()).contains("must not be empty");
    }
}
