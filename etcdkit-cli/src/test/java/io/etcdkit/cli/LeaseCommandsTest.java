package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.KeyValue;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lease grant, ttl and revoke, and put --lease / --ttl, against a real member. */
class LeaseCommandsTest {
    @RegisterExtension
    static final EtcdForCli ETCD = EtcdForCli.singleMember();

    @Test
    void grantAttachTtlAndRevoke() {
        Cli.Result grant = ETCD.run("lease", "grant", "60", "-o", "json");
        assertThat(grant.code()).as("%s", grant).isZero();
        String id = grant.json().get("id").asText();
        assertThat(grant.json().get("ttlSeconds").asLong()).isEqualTo(60);
        assertThat(ETCD.client().leases().list()).contains(Long.parseUnsignedLong(id, 16));

        assertThat(ETCD.run("put", "session/a", "1", "--lease", id).out()).contains("lease " + id);
        assertThat(ETCD.client().kv().get("session/a").map(KeyValue::lease)).contains(Long.parseUnsignedLong(id, 16));

        Cli.Result ttl = ETCD.run("lease", "ttl", id, "--keys");
        assertThat(ttl.out()).startsWith("lease " + id + ": granted TTL 60 s, remaining ").contains("  session/a");
        JsonNode ttlJson = ETCD.run("lease", "ttl", "0x" + id, "--keys", "-o", "json").json();
        assertThat(ttlJson.get("grantedSeconds").asLong()).isEqualTo(60);
        assertThat(ttlJson.get("remainingSeconds").asLong()).isBetween(1L, 60L);
        assertThat(ttlJson.get("keys").get(0).asText()).isEqualTo("session/a");

        Cli.Result revoke = ETCD.run("lease", "revoke", id);
        assertThat(revoke.code()).isZero();
        assertThat(revoke.out()).isEqualTo("lease " + id + " revoked\n");
        assertThat(ETCD.client().kv().exists("session/a")).isFalse();

        Cli.Result again = ETCD.run("lease", "revoke", id);
        assertThat(again.code()).isEqualTo(3);
        assertThat(again.errLine()).startsWith("etcdkit lease revoke: ").contains("not found");
        assertThat(ETCD.run("lease", "ttl", id).code()).isEqualTo(3);
        assertThat(ETCD.run("put", "k", "v", "--lease", id).code()).isEqualTo(3);
    }

    @Test
    void grantPrintsTheIdForPeople() {
        Cli.Result grant = ETCD.run("lease", "grant", "2m");
        assertThat(grant.code()).isZero();
        assertThat(grant.out()).matches("lease [0-9a-f]+ granted with TTL 120 s\n");
    }

    @Test
    void putWithTtlGrantsALeaseAndTheKeyExpires() {
        Cli.Result put = ETCD.run("put", "ephemeral", "v", "--ttl", "2s", "-o", "json");
        assertThat(put.code()).as("%s", put).isZero();
        long lease = Long.parseUnsignedLong(put.json().get("lease").asText(), 16);
        assertThat(ETCD.client().kv().get("ephemeral").map(KeyValue::lease)).contains(lease);
        await("the key vanishes with its lease").atMost(Duration.ofSeconds(30)).until(() -> !ETCD.client().kv().exists("ephemeral"));
    }

    @Test
    void badLeaseInputIsAUsageError() {
        Cli.Result both = ETCD.run("put", "k", "v", "--lease", "abc", "--ttl", "5");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.errLine()).contains("either --lease or --ttl");
        Cli.Result notHex = ETCD.run("lease", "revoke", "xyz");
        assertThat(notHex.code()).isEqualTo(2);
        assertThat(notHex.errLine()).contains("lease id in hex");
        Cli.Result ttl = ETCD.run("lease", "grant", "soon");
        assertThat(ttl.code()).isEqualTo(2);
        assertThat(ttl.errLine()).contains("positive duration");
        Cli.Result noSub = ETCD.run("lease");
        assertThat(noSub.code()).isEqualTo(2);
        assertThat(noSub.errLine()).contains("name a subcommand: grant, revoke, ttl");
    }
}
