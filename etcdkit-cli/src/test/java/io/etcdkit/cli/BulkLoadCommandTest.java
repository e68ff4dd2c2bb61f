package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Delete;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code etcdkit bulk load} against a real member: both line formats, stdin, progress, bad lines. */
class BulkLoadCommandTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static EtcdClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpointsString()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void empty() {
        client.kv().delete(Delete.all());
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
        Cli.Result r = Cli.run("bulk", "load", file.toString(), "--batch", "64", "--endpoints",
                ETCD.clientEndpointsString());
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out()).startsWith("loaded 2502 keys in ");
        assertThat(r.err()).endsWith("bulk load: 2,502 of 2,502 keys, done\n");
        assertThat(client.kv().count(Range.prefix("items/"))).isEqualTo(2500);
        assertThat(client.kv().get("items/1").map(KeyValue::valueAsString)).contains("v1");
        assertThat(client.kv().get("items/2498").map(KeyValue::valueAsString)).contains("v2498");
        assertThat(client.kv().get("doc").map(KeyValue::valueAsString)).contains("{\"a\":[1,2]}");
        assertThat(client.kv().get("tabs").map(KeyValue::valueAsString)).contains("in\tvalue");
    }

    @Test
    void loadsFromStdinWithJsonResult() {
        Cli.Result r = Cli.runWithStdin("a\t1\n{\"key\":\"b\",\"value\":\"2\"}\n", "bulk", "load", "-", "-o", "json",
                "--endpoints", ETCD.clientEndpointsString());
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.json().get("written").asLong()).isEqualTo(2);
        assertThat(client.kv().get("b").map(KeyValue::valueAsString)).contains("2");
    }

    @Test
    void aMalformedLineIsAUsageErrorNamingItAndNothingIsWritten() throws Exception {
        Path file = dir.resolve("bad.txt");
        Files.write(file, List.of("good/1\tv", "{\"key\": \"good/2\", \"value\": \"v\"}", "no tab here"));
        Cli.Result r = Cli.run("bulk", "load", file.toString(), "--endpoints", ETCD.clientEndpointsString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLine()).isEqualTo("etcdkit bulk load: line 3: expected a JSON object {\"key\": ..., "
                + "\"value\": ...} or KEY<TAB>VALUE, got 'no tab here'");
        assertThat(client.kv().count(Range.prefix("good/"))).isZero();

        assertThat(Cli.runWithStdin("{\"key\": 1, \"value\": \"v\"}\n", "bulk", "load", "-", "--endpoints",
                ETCD.clientEndpointsString()).errLine()).contains("line 1: the JSON object has no \"key\" string");
        assertThat(Cli.runWithStdin("{\"key\": \"k\"\n", "bulk", "load", "-", "--endpoints",
                ETCD.clientEndpointsString()).errLine()).contains("line 1: malformed JSON");
        assertThat(Cli.runWithStdin("\tvalue\n", "bulk", "load", "-", "--endpoints",
                ETCD.clientEndpointsString()).errLine()).contains("line 1: the key is empty");
        assertThat(Cli.run("bulk", "load", dir.resolve("missing").toString(), "--endpoints",
                ETCD.clientEndpointsString()).code()).isEqualTo(2);
        assertThat(Cli.runWithStdin("a\t1\n", "bulk", "load", "-", "--batch", "500", "--endpoints",
                ETCD.clientEndpointsString()).code()).as("more puts per transaction than etcd allows").isEqualTo(2);
    }
}
