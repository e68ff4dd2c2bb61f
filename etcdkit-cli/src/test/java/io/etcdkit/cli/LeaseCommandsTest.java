package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** lease grant, ttl and revoke, and put --lease / --ttl, against a real member. */
class LeaseCommandsTest {
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

    private static Cli.Result etcdkit(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--endpoints";
        all[args.length + 1] = ETCD.clientEndpointsString();
        return Cli.run(all);
    }

    @Test
    void grantAttachTtlAndRevoke() {
        Cli.Result grant = etcdkit("lease", "grant", "60", "-o", "json");
        assertThat(grant.code()).as("%s", grant).isZero();
        String id = grant.json().get("id").asText();
        assertThat(grant.json().get("ttlSeconds").asLong()).isEqualTo(60);
        assertThat(client.leases().list()).contains(Long.parseUnsignedLong(id, 16));

        assertThat(etcdkit("put", "session/a", "1", "--lease", id).out()).contains("lease " + id);
        assertThat(client.kv().get("session/a").map(KeyValue::lease)).contains(Long.parseUnsignedLong(id, 16));

        Cli.Result ttl = etcdkit("lease", "ttl", id, "--keys");
        assertThat(ttl.out()).startsWith("lease " + id + ": granted TTL 60 s, remaining ").contains("  session/a");
        JsonNode ttlJson = etcdkit("lease", "ttl", "0x" + id, "--keys", "-o", "json").json();
        assertThat(ttlJson.get("grantedSeconds").asLong()).isEqualTo(60);
        assertThat(ttlJson.get("remainingSeconds").asLong()).isBetween(1L, 60L);
        assertThat(ttlJson.get("keys").get(0).asText()).isEqualTo("session/a");

        Cli.Result revoke = etcdkit("lease", "revoke", id);
        assertThat(revoke.code()).isZero();
        assertThat(revoke.out()).isEqualTo("lease " + id + " revoked\n");
        assertThat(client.kv().exists("session/a")).isFalse();

        Cli.Result again = etcdkit("lease", "revoke", id);
        assertThat(again.code()).isEqualTo(3);
        assertThat(again.errLine()).startsWith("etcdkit lease revoke: ").contains("not found");
        assertThat(etcdkit("lease", "ttl", id).code()).isEqualTo(3);
        assertThat(etcdkit("put", "k", "v", "--lease", id).code()).isEqualTo(3);
    }

    @Test
    void grantPrintsTheIdForPeople() {
        Cli.Result grant = etcdkit("lease", "grant", "2m");
        assertThat(grant.code()).isZero();
        assertThat(grant.out()).matches("lease [0-9a-f]+ granted with TTL 120 s\n");
    }

    @Test
    void putWithTtlGrantsALeaseAndTheKeyExpires() {
        Cli.Result put = etcdkit("put", "ephemeral", "v", "--ttl", "2s", "-o", "json");
        assertThat(put.code()).as("%s", put).isZero();
        long lease = Long.parseUnsignedLong(put.json().get("lease").asText(), 16);
        assertThat(client.kv().get("ephemeral").map(KeyValue::lease)).contains(lease);
        assertThat(Eventually.holds(Duration.ofSeconds(30), () -> !client.kv().exists("ephemeral")))
                .as("the key vanishes with its lease").isTrue();
    }

    @Test
    void badLeaseInputIsAUsageError() {
        Cli.Result both = etcdkit("put", "k", "v", "--lease", "abc", "--ttl", "5");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.errLine()).contains("either --lease or --ttl");
        Cli.Result notHex = etcdkit("lease", "revoke", "xyz");
        assertThat(notHex.code()).isEqualTo(2);
        assertThat(notHex.errLine()).contains("lease id in hex");
        Cli.Result ttl = etcdkit("lease", "grant", "soon");
        assertThat(ttl.code()).isEqualTo(2);
        assertThat(ttl.errLine()).contains("positive duration");
        Cli.Result noSub = etcdkit("lease");
        assertThat(noSub.code()).isEqualTo(2);
        assertThat(noSub.errLine()).contains("grant, revoke or ttl");
    }
}
