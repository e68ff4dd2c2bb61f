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

/** {@code etcdkit txn} against a real member: both branches, exit codes 0 and 4, JSON, bad syntax. */
class TxnCommandTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    private static EtcdClient client;

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

    private static Cli.Result txn(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "txn";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--endpoints";
        all[args.length + 2] = ETCD.clientEndpointsString();
        return Cli.run(all);
    }

    @Test
    void thenBranchRunsWhenEveryCompareHoldsAndExitsZero() {
        Cli.Result r = txn("--if", "version(lock/owner) = 0", "--then", "put lock/owner me", "--then",
                "put lock/since 10:00", "--else", "get lock/owner");
        assertThat(r.code()).as("%s", r).isZero();
        assertThat(r.out().lines().toList()).hasSize(3).first().asString().startsWith("SUCCESS");
        assertThat(r.out()).contains("put lock/owner: ok").contains("put lock/since: ok");
        assertThat(client.kv().get("lock/owner").map(KeyValue::valueAsString)).contains("me");
        assertThat(client.kv().get("lock/since").map(KeyValue::valueAsString)).contains("10:00");
    }

    @Test
    void elseBranchRunsWhenACompareFailsAndExitsFour() {
        client.kv().put("lock/owner", "someone");
        Cli.Result r = txn("--if", "version(lock/owner) = 0", "--then", "put lock/owner me", "--else",
                "get lock/owner");
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.out()).startsWith("FAILURE").contains("get lock/owner: someone");
        assertThat(client.kv().get("lock/owner").map(KeyValue::valueAsString)).contains("someone");
    }

    @Test
    void compareAndSwapOnValueWithJsonResults() {
        client.kv().put("account/balance", "100");
        client.kv().put("jobs/a", "1");
        client.kv().put("jobs/b", "2");
        Cli.Result r = txn("--if", "value(account/balance) = 100", "--if", "exists(jobs/a)", "--then",
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

        Cli.Result stale = txn("--if", "value(account/balance) = 100", "--then", "put account/balance 0", "-o",
                "json");
        assertThat(stale.code()).isEqualTo(4);
        assertThat(stale.json().get("succeeded").asBoolean()).isFalse();
        assertThat(stale.json().get("results")).isEmpty();
        assertThat(client.kv().get("account/balance").map(KeyValue::valueAsString)).contains("80");
    }

    @Test
    void aTxnOfComparesAloneIsACheck() {
        client.kv().put("flag", "on");
        assertThat(txn("--if", "value(flag) = on").code()).isZero();
        assertThat(txn("--if", "value(flag) = off").code()).isEqualTo(4);
        assertThat(txn("--if", "mod(flag) > 0", "--if", "lease(flag) = 0").code()).isZero();
    }

    @Test
    void badSyntaxIsOneLineNamingWhatWasExpectedAndWritesNothing() {
        Cli.Result r = txn("--if", "value(k) ~ v", "--then", "put k v");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLine()).startsWith("etcdkit txn: --if 'value(k) ~ v': expected an operator")
                .contains("TARGET(KEY) OP VALUE");
        Cli.Result op = txn("--if", "exists(k)", "--then", "update k v");
        assertThat(op.code()).isEqualTo(2);
        assertThat(op.errLine()).contains("unknown operation 'update'").contains("put KEY VALUE");
        Cli.Result nothing = txn();
        assertThat(nothing.code()).isEqualTo(2);
        assertThat(nothing.errLine()).contains("at least one --if, --then or --else");
        assertThat(client.kv().exists("k")).isFalse();
    }

    @Test
    void writingOneKeyTwiceIsRefusedByEtcdAsAUsageError() {
        Cli.Result r = txn("--then", "put k 1", "--then", "put k 2");
        assertThat(r.code()).as("%s", r).isEqualTo(2);
        assertThat(r.errLine()).startsWith("etcdkit txn: ");
        assertThat(client.kv().exists("k")).isFalse();
    }
}
