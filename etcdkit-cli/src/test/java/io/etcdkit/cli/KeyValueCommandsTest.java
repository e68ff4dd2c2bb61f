package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Delete;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** get, put, del and ls against a real member: text and JSON output, exit codes, bad input. */
class KeyValueCommandsTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @BeforeEach
    void empty() {
        ETCD.client().kv().delete(Delete.all());
    }

    @Test
    void putThenGetPrintsTheValueAlone() {
        Cli.Result put = ETCD.run("put", "config/mode", "fast");
        assertThat(put.code()).as("%s", put).isZero();
        assertThat(put.out()).startsWith("OK (revision ");
        Cli.Result get = ETCD.run("get", "config/mode");
        assertThat(get.code()).isZero();
        assertThat(get.out()).isEqualTo("fast\n");
        assertThat(ETCD.client().kv().get("config/mode").map(KeyValue::valueAsString)).contains("fast");
    }

    @Test
    void getOfAMissingKeyExitsThreeWithOneLine() {
        Cli.Result get = ETCD.run("get", "nope");
        assertThat(get.code()).isEqualTo(3);
        assertThat(get.out()).isEmpty();
        assertThat(get.errLine()).isEqualTo("etcdkit get: key 'nope' not found");
    }

    @Test
    void getJsonHasRevisionsVersionAndLease() {
        long rev = ETCD.client().kv().put("k", "v1").revision();
        ETCD.client().kv().put("k", "v2");
        JsonNode json = ETCD.run("get", "k", "-o", "json").json();
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
        long rev = ETCD.client().kv().put("app/a", "1").revision();
        ETCD.client().kv().put("app/a", "2");
        ETCD.client().kv().put("app/b", "x\ty");
        assertThat(ETCD.run("get", "app/a", "--rev", Long.toString(rev)).out()).isEqualTo("1\n");
        Cli.Result prefix = ETCD.run("get", "app/", "--prefix");
        assertThat(prefix.code()).isZero();
        assertThat(prefix.out().lines().toList()).containsExactly("KEY    VALUE", "app/a  2", "app/b  x\\ty");
        JsonNode json = ETCD.run("get", "app/", "--prefix", "-o", "json").json();
        assertThat(json.get("kvs")).hasSize(2);
        assertThat(json.get("kvs").get(1).get("value").asText()).isEqualTo("x\ty");
        Cli.Result none = ETCD.run("get", "nothing/", "--prefix", "-o", "json");
        assertThat(none.code()).isEqualTo(3);
        assertThat(none.json().get("kvs")).isEmpty();
    }

    @Test
    void putReadsTheValueFromStdinByteForByte() {
        Cli.Result put = ETCD.runWithStdin("line 1\nline 2\n", "put", "doc", "-");
        assertThat(put.code()).as("%s", put).isZero();
        assertThat(ETCD.client().kv().get("doc").orElseThrow().valueAsString()).isEqualTo("line 1\nline 2\n");
    }

    @Test
    void putJsonAndNamespace() {
        JsonNode json = ETCD.run("put", "plan", "gold", "--namespace", "tenant-a/", "-o", "json").json();
        assertThat(json.get("key").asText()).isEqualTo("plan");
        assertThat(json.get("revision").asLong()).isPositive();
        assertThat(ETCD.client().kv().get("tenant-a/plan").map(KeyValue::valueAsString)).contains("gold");
        assertThat(ETCD.run("--namespace", "tenant-a/", "get", "plan").out()).isEqualTo("gold\n");
        assertThat(ETCD.run("ls", "--namespace", "tenant-a/", "--keys-only").out()).isEqualTo("plan\n");
    }

    @Test
    void delDeletesAKeyOrAPrefixAndPrintsHowMany() {
        ETCD.client().kv().put("jobs/1", "a");
        ETCD.client().kv().put("jobs/2", "b");
        ETCD.client().kv().put("other", "c");
        assertThat(ETCD.run("del", "jobs/1").out()).isEqualTo("1\n");
        Cli.Result none = ETCD.run("del", "jobs/1");
        assertThat(none.code()).isZero();
        assertThat(none.out()).isEqualTo("0\n");
        JsonNode json = ETCD.run("del", "jobs/", "--prefix", "-o", "json").json();
        assertThat(json.get("deleted").asLong()).isEqualTo(1);
        assertThat(ETCD.client().kv().exists("other")).isTrue();
        Cli.Result everything = ETCD.run("del", "", "--prefix");
        assertThat(everything.code()).isEqualTo(2);
        assertThat(everything.errLine()).contains("empty prefix would delete every key");
        assertThat(ETCD.client().kv().exists("other")).isTrue();
    }

    @Test
    void lsShowsATableKeysOnlyOrJsonAndHonoursTheLimit() {
        for (int i = 0; i < 5; i++) {
            ETCD.client().kv().put("list/" + i, "value-" + i);
        }
        ETCD.client().kv().put("list/long", "x".repeat(100));
        ETCD.client().kv().put("elsewhere", "e");
        Cli.Result table = ETCD.run("ls", "list/");
        assertThat(table.code()).isZero();
        assertThat(table.out().lines().toList()).hasSize(7).first().asString()
                .startsWith("KEY").contains("VERSION").contains("MOD-REV").contains("LEASE").contains("VALUE");
        assertThat(table.out()).contains("value-3").contains("x".repeat(57) + "...").doesNotContain("x".repeat(61));
        assertThat(ETCD.run("ls", "list/", "--keys-only").out().lines().toList())
                .containsExactly("list/0", "list/1", "list/2", "list/3", "list/4", "list/long");
        Cli.Result limited = ETCD.run("ls", "list/", "--limit", "2", "-o", "json");
        assertThat(limited.json().get("kvs")).hasSize(2);
        assertThat(limited.json().get("more").asBoolean()).isTrue();
        assertThat(ETCD.run("ls", "--keys-only").out().lines()).hasSize(7).contains("elsewhere");
        JsonNode keysOnly = ETCD.run("ls", "list/", "--keys-only", "-o", "json").json();
        assertThat(keysOnly.get("kvs").get(0).has("value")).isFalse();
        assertThat(keysOnly.get("more").asBoolean()).isFalse();
    }

    @Test
    void badInputIsAOneLineUsageError() {
        Cli.Result missing = ETCD.run("get");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.errLine()).contains("Missing required parameter: 'KEY'").contains("etcdkit get --help");
        Cli.Result empty = ETCD.run("put", "", "v");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.errLine()).contains("must not be empty");
        Cli.Result rev = ETCD.run("get", "k", "--rev", "many");
        assertThat(rev.code()).isEqualTo(2);
        assertThat(rev.errLine()).contains("--rev");
        Cli.Result limit = ETCD.run("ls", "--limit", "-1");
        assertThat(limit.code()).isEqualTo(2);
        Cli.Result format = ETCD.run("get", "k", "-o", "yaml");
        assertThat(format.code()).isEqualTo(2);
        assertThat(format.errLine()).contains("yaml");
    }

    @Test
    void futureRevisionIsAUsageErrorAndMessageSaysWhy() {
        long now = ETCD.client().kv().put("k", "v").revision();
        Cli.Result future = ETCD.run("get", "k", "--rev", Long.toString(now + 1000));
        assertThat(future.code()).as("%s", future).isEqualTo(2);
        assertThat(future.errLine()).startsWith("etcdkit get: ").contains("revision");
    }
}
