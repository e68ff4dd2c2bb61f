package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Delete;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** get, put, del and ls against a real member: text and JSON output, exit codes, bad input. */
class KeyValueCommandsTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static EtcdClient client;
    private static String endpoints;

    @BeforeAll
    static void connect() {
        endpoints = ETCD.clientEndpointsString();
        client = EtcdClient.builder().endpoints(endpoints).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @BeforeEach
    void empty() {
        client.kv().delete(Delete.all());
    }

    private static Cli.Result etcdkit(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoints";
        all[args.length + 1] = endpoints;
        return Cli.run(all);
    }

    @Test
    void putThenGetPrintsTheValueAlone() {
        Cli.Result put = etcdkit("put", "config/mode", "fast");
        assertThat(put.code()).as("%s", put).isZero();
        assertThat(put.out()).startsWith("OK (revision ");
        Cli.Result get = etcdkit("get", "config/mode");
        assertThat(get.code()).isZero();
        assertThat(get.out()).isEqualTo("fast\n");
        assertThat(client.kv().get("config/mode").map(KeyValue::valueAsString)).contains("fast");
    }

    @Test
    void getOfAMissingKeyExitsThreeWithOneLine() {
        Cli.Result get = etcdkit("get", "nope");
        assertThat(get.code()).isEqualTo(3);
        assertThat(get.out()).isEmpty();
        assertThat(get.errLine()).isEqualTo("etcdkit get: key 'nope' not found");
    }

    @Test
    void getJsonHasRevisionsVersionAndLease() {
        long rev = client.kv().put("k", "v1").revision();
        client.kv().put("k", "v2");
        JsonNode json = etcdkit("get", "k", "-o", "json").json();
        assertThat(json.get("count").asLong()).isEqualTo(1);
        JsonNode kv = json.get("kvs").get(0);
        assertThat(kv.get("key").asText()).isEqualTo("k");
        assertThat(kv.get("value").asText()).isEqualTo("v2");
        assertThat(kv.get("createRevision").asLong()).isEqualTo(rev);
        assertThat(kv.get("modRevision").asLong()).isEqualTo(rev + 1);
        assertThat(kv.get("version").asLong()).isEqualTo(2);
        assertThat(kv.has("lease")).isFalse();
        assertThat(json.get("revision").asLong()).isGreaterThanOrEqualTo(rev + 1);
    }

    @Test
    void getAtAnOlderRevisionAndAPrefix() {
        long rev = client.kv().put("app/a", "1").revision();
        client.kv().put("app/a", "2");
        client.kv().put("app/b", "x\ty");
        assertThat(etcdkit("get", "app/a", "--rev", Long.toString(rev)).out()).isEqualTo("1\n");
        Cli.Result prefix = etcdkit("get", "app/", "--prefix");
        assertThat(prefix.code()).isZero();
        assertThat(prefix.out().lines().toList()).containsExactly("KEY    VALUE", "app/a  2", "app/b  x\\ty");
        JsonNode json = etcdkit("get", "app/", "--prefix", "-o", "json").json();
        assertThat(json.get("kvs")).hasSize(2);
        assertThat(json.get("kvs").get(1).get("value").asText()).isEqualTo("x\ty");
        Cli.Result none = etcdkit("get", "nothing/", "--prefix", "-o", "json");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.json().get("kvs")).isEmpty();
    }

    @Test
    void putReadsTheValueFromStdinByteForByte() {
        Cli.Result put = Cli.runWithStdin("line 1\nline 2\n", "put", "doc", "-", "--endpoints", endpoints);
        assertThat(put.code()).as("%s", put).isZero();
        assertThat(client.kv().get("doc").orElseThrow().valueAsString()).isEqualTo("line 1\nline 2\n");
    }

    @Test
    void putJsonAndNamespace() {
        JsonNode json = etcdkit("put", "plan", "gold", "--namespace", "tenant-a/", "-o", "json").json();
        assertThat(json.get("key").asText()).isEqualTo("plan");
        assertThat(json.get("revision").asLong()).isPositive();
        assertThat(client.kv().get("tenant-a/plan").map(KeyValue::valueAsString)).contains("gold");
        assertThat(etcdkit("--namespace", "tenant-a/", "get", "plan").out()).isEqualTo("gold\n");
        assertThat(etcdkit("ls", "--namespace", "tenant-a/", "--keys-only").out()).isEqualTo("plan\n");
    }

    @Test
    void delDeletesAKeyOrAPrefixAndPrintsHowMany() {
        client.kv().put("jobs/1", "a");
        client.kv().put("jobs/2", "b");
        client.kv().put("other", "c");
        assertThat(etcdkit("del", "jobs/1").out()).isEqualTo("1\n");
        Cli.Result none = etcdkit("del", "jobs/1");
        assertThat(none.code()).isZero();
        assertThat(none.out()).isEqualTo("0\n");
        JsonNode json = etcdkit("del", "jobs/", "--prefix", "-o", "json").json();
        assertThat(json.get("deleted").asLong()).isEqualTo(1);
        assertThat(client.kv().exists("other")).isTrue();
        Cli.Result everything = etcdkit("del", "", "--prefix");
        assertThat(everything.code()).isEqualTo(2);
        assertThat(everything.errLine()).contains("empty prefix would delete every key");
        assertThat(client.kv().exists("other")).isTrue();
    }

    @Test
    void lsShowsATableKeysOnlyOrJsonAndHonoursTheLimit() {
        for (int i = 0; i < 5; i++) {
            client.kv().put("list/" + i, "value-" + i);
        }
        client.kv().put("list/long", "x".repeat(100));
        client.kv().put("elsewhere", "e");
        Cli.Result table = etcdkit("ls", "list/");
        assertThat(table.code()).isZero();
        assertThat(table.out().lines().toList()).hasSize(7).first().asString()
                .startsWith("KEY").contains("VERSION").contains("MOD-REV").contains("LEASE").contains("VALUE");
        assertThat(table.out()).contains("value-3").contains("x".repeat(57) + "...").doesNotContain("x".repeat(61));
        assertThat(etcdkit("ls", "list/", "--keys-only").out().lines().toList())
                .containsExactly("list/0", "list/1", "list/2", "list/3", "list/4", "list/long");
        Cli.Result limited = etcdkit("ls", "list/", "--limit", "2", "-o", "json");
        assertThat(limited.json().get("kvs")).hasSize(2);
        assertThat(limited.json().get("more").asBoolean()).isTrue();
        assertThat(etcdkit("ls", "--keys-only").out().lines()).hasSize(7).contains("elsewhere");
        JsonNode keysOnly = etcdkit("ls", "list/", "--keys-only", "-o", "json").json();
        assertThat(keysOnly.get("kvs").get(0).has("value")).isFalse();
        assertThat(keysOnly.get("more").asBoolean()).isFalse();
    }

    @Test
    void badInputIsAOneLineUsageError() {
        Cli.Result missing = etcdkit("get");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.errLine()).contains("Missing required parameter: 'KEY'").contains("etcdkit get --help");
        Cli.Result empty = etcdkit("put", "", "v");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.errLine()).contains("must not be empty");
        Cli.Result rev = etcdkit("get", "k", "--rev", "many");
        assertThat(rev.code()).isEqualTo(2);
        assertThat(rev.errLine()).contains("--rev");
        Cli.Result limit = etcdkit("ls", "--limit", "-1");
        assertThat(limit.code()).isEqualTo(2);
        Cli.Result format = etcdkit("get", "k", "-o", "yaml");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.errLine()).contains("yaml");
    }

    @Test
    void futureRevisionIsAUsageErrorAndMessageSaysWhy() {
        long now = client.kv().put("k", "v").revision();
        Cli.Result future = etcdkit("get", "k", "--rev", Long.toString(now + 1000));
        assertThat(future.code()).as("%s", future).isEqualTo(2);
        assertThat(future.errLine()).startsWith("etcdkit get: ").contains("revision");
    }
}
