package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.KeyValue;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Range;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code etcdkit bulk load} against a real member: both line formats, stdin, progress, bad lines. */
class BulkLoadCommandTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @TempDir
    Path dir;

    @BeforeEach
    void empty() {
        ETCD.client().kv().delete(Delete.all());
    }

    @Test
    void loadsJsonLinesAndTabSeparatedLinesMixed() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2500; i++) {
            lines.add(i % 2 == 0 ? "{\"key\": \"items/" + i + "\", \"value\": \"v" + i + "\"}"
                    : "items/" + i + "\tv" + i);
        }
        lines.add("");
        lines.add("{\"key\": \"doc\", \"value\": {\"a\": [1, 2]}}");
        lines.add("tabs\tin\tvalue");
        Path file = dir.resolve("input.txt");
        Files.write(file, lines);
        Cli.Result r = ETCD.run("bulk", "load", file.toString(), "--batch", "64");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).startsWith("loaded 2502 keys in ");
        assertThat(r.err()).endsWith("bulk load: 2,502 of 2,502 keys, done\n");
        assertThat(ETCD.client().kv().count(Range.prefix("items/"))).isEqualTo(2500);
        assertThat(ETCD.client().kv().get("items/1").map(KeyValue::valueAsString)).contains("v1");
        assertThat(ETCD.client().kv().get("items/2498").map(KeyValue::valueAsString)).contains("v2498");
        assertThat(ETCD.client().kv().get("doc").map(KeyValue::valueAsString)).contains("{\"a\":[1,2]}");
        assertThat(ETCD.client().kv().get("tabs").map(KeyValue::valueAsString)).contains("in\tvalue");
    }

    @Test
    void loadsFromStdinWithJsonResult() {
        Cli.Result r = ETCD.runWithStdin("a\t1\n{\"key\":\"b\",\"value\":\"2\"}\n", "bulk", "load", "-", "-o", "json");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.json().get("written").asLong()).isEqualTo(2);
        assertThat(ETCD.client().kv().get("b").map(KeyValue::valueAsString)).contains("2");
    }

    @Test
    void aMalformedLineIsAUsageErrorNamingItAndNothingIsWritten() throws Exception {
        Path file = dir.resolve("bad.txt");
        Files.write(file, List.of("good/1\tv", "{\"key\": \"good/2\", \"value\": \"v\"}", "no tab here"));
        Cli.Result r = ETCD.run("bulk", "load", file.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLine()).isEqualTo("etcdkit bulk load: line 3: expected a JSON object {\"key\": ..., "
                + "\"value\": ...} or KEY<TAB>VALUE, got 'no tab here'");
        assertThat(ETCD.client().kv().count(Range.prefix("good/"))).isZero();

        assertThat(ETCD.runWithStdin("{\"key\": 1, \"value\": \"v\"}\n", "bulk", "load", "-").errLine())
                .contains("line 1: the JSON object has no \"key\" string");
        assertThat(ETCD.runWithStdin("{\"key\": \"k\"\n", "bulk", "load", "-").errLine())
                .contains("line 1: malformed JSON");
        assertThat(ETCD.runWithStdin("\tvalue\n", "bulk", "load", "-").errLine()).contains("line 1: the key is empty");
        assertThat(ETCD.run("bulk", "load", dir.resolve("missing").toString()).code()).isEqualTo(2);
    }

    @Test
    void aBatchLargerThanTheServerAllowsIsAUsageErrorAndNothingIsWritten() {
        StringBuilder input = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            input.append("many/").append(i).append("\tv\n");
        }
        // The member runs with etcd's default --max-txn-ops of 128: the server refuses the 200-put transaction.
        Cli.Result r = ETCD.runWithStdin(input.toString(), "bulk", "load", "-", "--batch", "500");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.err()).startsWith("bulk load: 200 of 200 keys, stopped\n");
        assertThat(r.err()).endsWith("etcdkit bulk load: --batch 500 is more puts per transaction than etcd allows "
                + "(its --max-txn-ops, 128 by default); use --batch 128 or less, or start etcd with a larger "
                + "--max-txn-ops. 0 keys were written\n");
        assertThat(ETCD.client().kv().count(Range.prefix("many/"))).isZero();
        // Within the limit the same input loads.
        assertThat(ETCD.runWithStdin(input.toString(), "bulk", "load", "-", "--batch", "128").code()).isZero();
        assertThat(ETCD.client().kv().count(Range.prefix("many/"))).isEqualTo(200);
    }
}
