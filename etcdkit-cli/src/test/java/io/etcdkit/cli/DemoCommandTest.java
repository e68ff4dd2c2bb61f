package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The demo runs end to end against a real member; its output is checked section by section. */
class DemoCommandTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void demoRunsEverySectionAndPrintsWhatItDid() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EtcdkitCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "demo",
                "--endpoints", ETCD.clientEndpointsString());
        assertThat(code).as("exit code; stderr: %s", err).isZero();
        Map<String, String> sections = sections(out.toString());
        assertThat(sections.keySet()).containsExactly("Keys and values", "Prefixes, globs and paging",
                "Transactions and compare-and-set", "Namespaces", "Leases", "Watches and subscriptions",
                "Locks with fencing tokens", "Leader election", "Service registry", "Cached values",
                "Typed repository", "Encryption", "Clear errors");
        assertThat(sections.get("Leases")).contains("state ALIVE").contains("exists true")
                .contains("revoked -> state REVOKED, presence/worker-1 exists false");
        assertThat(sections.get("Watches and subscriptions")).contains("subscription: put services/a=10.0.0.1")
                .contains("subscription: snapshot complete (2 keys").contains("subscription: put services/c=10.0.0.3")
                .contains("subscription: delete services/a");
        assertThat(sections.get("Locks with fencing tokens")).containsPattern("fencing token \\d+")
                .contains("guarded write while holding -> applied").contains("tryLock -> busy");
        assertThat(sections.get("Leader election")).contains("observer saw: no leader")
                .contains("observer saw: leader node-a").containsPattern("epoch \\d+");
        assertThat(sections.get("Keys and values")).contains("get config/mode -> fast (version 1)")
                .containsPattern("read at revision \\d+ -> fast").contains("exists config/missing -> false");
        assertThat(sections.get("Prefixes, globs and paging")).contains("bulk-loaded 1000 keys")
                .contains("count jobs/ -> 1000").contains("-> 1000 keys")
                .contains("keys matching svc/*/config -> [svc/api/config, svc/web/config]")
                .contains("1000 keys deleted");
        assertThat(sections.get("Transactions and compare-and-set")).containsPattern("withdraw 20 .* -> applied")
                .contains("stale revision -> refused").contains("lock/owner=demo -> true")
                .contains("lock/owner=other -> false");
        assertThat(sections.get("Namespaces")).contains("tenant-a sees plan=gold, tenant-b sees plan=free");
        assertThat(sections.get("Service registry")).contains("registered orders-1 (zone=a) and orders-2")
                .contains("lookup orders -> [orders-1@10.0.0.1:8080, orders-2@10.0.0.2:8080]")
                .contains("round-robin picks orders-1, then orders-2")
                .contains("gone at once; lookup orders -> [orders-1]")
                .contains("watch saw: added orders-1 at 10.0.0.1:8080").contains("watch saw: added orders-2")
                .contains("watch saw: removed orders-2");
        assertThat(sections.get("Cached values")).contains("config/rate-limit is missing -> get() = 100 (the default)")
                .contains("put config/rate-limit=250 -> get() = 250")
                .contains("(malformed) -> decode failure reported, get() = 100")
                .contains("delete config/rate-limit -> get() = 100 (back to the default)");
        assertThat(sections.get("Typed repository")).contains("scaled checkout to 3 replicas")
                .containsPattern("update with the stale version \\d+ -> VersionConflictException, current version \\d+")
                .contains("list 'team=payments,tier in (web,api)' -> [checkout]")
                .contains("bad selector -> InvalidSelectorException at position")
                .contains("third create with quota 2 -> QuotaExceededException");
        assertThat(sections.get("Encryption")).contains("encrypted with key k1")
                .contains("plaintext visible in etcd -> false").contains("decrypted -> s3cret")
                .contains("ciphertext copied to another key -> refused: IntegrityCheckFailedException")
                .contains("rotated to key k2 -> decrypted s3cret")
                .contains("a reader that lacks k2 -> refused: UnknownKeyIdException");
        assertThat(sections.get("Clear errors")).contains("empty key -> InvalidArgumentException")
                .contains("TooManyOperationsException").contains("count batch/ = 0");
        assertThat(out.toString()).contains("Demo complete");
    }

    @Test
    void demoHonoursTheGlobalOptionsAndLeavesNothingBehind() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = EtcdkitCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), "--namespace", "team/",
                "demo", "--endpoints", ETCD.clientEndpointsString());
        assertThat(code).as("stderr: %s", err).isZero();
        assertThat(out.toString()).contains("== Encryption ==").contains("Demo complete");
        try (io.etcdkit.EtcdClient client = io.etcdkit.EtcdClient.builder().endpoints(ETCD.clientEndpointsString())
                .build()) {
            assertThat(client.kv().count(io.etcdkit.kv.Range.all())).as("the demo removes what it wrote").isZero();
        }
    }

    @Test
    void unknownCommandIsAUsageErrorWithExitCode2() {
        StringWriter err = new StringWriter();
        int code = EtcdkitCommand.run(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true),
                "no-such-command");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("no-such-command");
    }

    static Map<String, String> sections(String output) {
        Map<String, String> sections = new LinkedHashMap<>();
        String current = null;
        StringBuilder body = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.startsWith("== ") && line.endsWith(" ==")) {
                if (current != null) {
                    sections.put(current, body.toString());
                }
                current = line.substring(3, line.length() - 3);
                body.setLength(0);
            } else if (current != null) {
                body.append(line).append('\n');
            }
        }
        if (current != null) {
            sections.put(current, body.toString());
        }
        return sections;
    }
}
