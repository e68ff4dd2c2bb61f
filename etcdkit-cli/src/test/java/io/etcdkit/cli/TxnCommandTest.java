package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Delete;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code etcdkit txn} against a real member: both branches, exit codes 0 and 4, JSON, bad syntax. */
class TxnCommandTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @BeforeEach
    void empty() {
        ETCD.client().kv().delete(Delete.all());
    }

    @Test
    void thenBranchRunsWhenEveryCompareHoldsAndExitsZero() {
        Cli.Result r = ETCD.run("txn", "--if", "version(lock/owner) = 0", "--then", "put lock/owner me", "--then",
                "put lock/since 10:00", "--else", "get lock/owner");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out().lines().toList()).hasSize(3).first().asString().startsWith("SUCCESS");
        assertThat(r.out()).contains("put lock/owner: ok").contains("put lock/since: ok");
        assertThat(ETCD.client().kv().get("lock/owner").map(KeyValue::valueAsString)).contains("me");
        assertThat(ETCD.client().kv().get("lock/since").map(KeyValue::valueAsString)).contains("10:00");
    }

    @Test
    void elseBranchRunsWhenACompareFailsAndExitsFour() {
        ETCD.client().kv().put("lock/owner", "someone");
        Cli.Result r = ETCD.run("txn", "--if", "version(lock/owner) = 0", "--then", "put lock/owner me", "--else",
                "get lock/owner");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).startsWith("FAILURE").contains("get lock/owner: someone");
        assertThat(ETCD.client().kv().get("lock/owner").map(KeyValue::valueAsString)).contains("someone");
    }

    @Test
    void compareAndSwapOnValueWithJsonResults() {
        ETCD.client().kv().put("account/balance", "100");
        ETCD.client().kv().put("jobs/a", "1");
        ETCD.client().kv().put("jobs/b", "2");
        Cli.Result r = ETCD.run("txn", "--if", "value(account/balance) = 100", "--if", "exists(jobs/a)", "--then",
                "put account/balance 80", "--then", "del --prefix jobs/", "--then", "get --prefix account/",
                "-o", "json");
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode json = r.json();
        assertThat(json.get("succeeded").asBoolean()).isTrue();
        assertThat(json.get("branch").asText()).isEqualTo("then");
        JsonNode results = json.get("results");
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("op").asText()).isEqualTo("put");
        assertThat(results.get(1).get("deleted").asLong()).isEqualTo(2);
        assertThat(results.get(2).get("kvs").get(0).get("value").asText()).isEqualTo("80");
        assertThat(json.get("revision").asLong()).isEqualTo(results.get(0).get("revision").asLong());

        Cli.Result stale = ETCD.run("txn", "--if", "value(account/balance) = 100", "--then", "put account/balance 0",
                "-o", "json");
        assertThat(stale.code()).isEqualTo(4);
        assertThat(stale.json().get("succeeded").asBoolean()).isFalse();
        assertThat(stale.json().get("results")).isEmpty();
        assertThat(ETCD.client().kv().get("account/balance").map(KeyValue::valueAsString)).contains("80");
    }

    @Test
    void aTxnOfComparesAloneIsACheck() {
        ETCD.client().kv().put("flag", "on");
        assertThat(ETCD.run("txn", "--if", "value(flag) = on").code()).isZero();
        assertThat(ETCD.run("txn", "--if", "value(flag) = off").code()).isEqualTo(4);
        assertThat(ETCD.run("txn", "--if", "mod(flag) > 0", "--if", "lease(flag) = 0").code()).isZero();
    }

    @Test
    void badSyntaxIsOneLineNamingWhatWasExpectedAndWritesNothing() {
        Cli.Result r = ETCD.run("txn", "--if", "value(k) ~ v", "--then", "put k v");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLine()).startsWith("etcdkit txn: --if 'value(k) ~ v': expected an operator")
                .contains("TARGET(KEY) OP VALUE");
        Cli.Result op = ETCD.run("txn", "--if", "exists(k)", "--then", "update k v");
        assertThat(op.code()).isEqualTo(2);
        assertThat(op.errLine()).contains("unknown operation 'update'").contains("put KEY VALUE");
        Cli.Result nothing = ETCD.run("txn");
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.errLine()).contains("at least one --if, --then or --else");
        assertThat(ETCD.client().kv().exists("k")).isFalse();
    }

    @Test
    void writingOneKeyTwiceIsRefusedByEtcdAsAUsageError() {
        Cli.Result r = ETCD.run("txn", "--then", "put k 1", "--then", "put k 2");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.errLine()).startsWith("etcdkit txn: ");
        assertThat(ETCD.client().kv().exists("k")).isFalse();
    }
}
