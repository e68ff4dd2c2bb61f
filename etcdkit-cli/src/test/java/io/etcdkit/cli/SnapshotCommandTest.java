package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code etcdkit snapshot save} against a real member: the file, its digest, the progress lines. */
class SnapshotCommandTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @TempDir
    Path dir;

    @Test
    void savesAVerifiedSnapshotWithProgressOnStderr() throws Exception {
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpointsString()).build()) {
            for (int i = 0; i < 200; i++) {
                client.kv().put("filler/" + i, "x".repeat(1000));
            }
        }
        Path file = dir.resolve("backup.db");
        Cli.Result r = Cli.run("snapshot", "save", file.toString(), "--endpoints", ETCD.clientEndpointsString(),
                "-o", "json");
        assertThat(r.code()).as("%s", r).isZero();
        JsonNode json = r.json();
        byte[] bytes = Files.readAllBytes(file);
        assertThat(json.get("size").asLong()).isEqualTo(bytes.length).isGreaterThan(200_000);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Arrays.copyOf(bytes, bytes.length - 32)));
        assertThat(json.get("sha256").asText()).isEqualTo(sha);
        assertThat(json.get("endpoint").asText()).isEqualTo(ETCD.clientEndpointsString());
        assertThat(r.err()).as("plain progress lines when stderr is not a terminal").endsWith(", done\n")
                .startsWith("snapshot: ").doesNotContain("\r");

        Cli.Result table = Cli.run("snapshot", "save", file.toString(), "--endpoints", ETCD.clientEndpointsString(),
                "--progress");
        assertThat(table.out()).startsWith("saved snapshot " + file + " (").contains("sha256 ");
        assertThat(table.err()).as("--progress draws a bar").contains("\rsnapshot [").contains("100%");
    }

    @Test
    void aMissingDirectoryIsAUsageError() {
        Cli.Result r = Cli.run("snapshot", "save", dir.resolve("no/such/dir/x.db").toString(), "--endpoints",
                ETCD.clientEndpointsString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLine()).contains("does not exist");
    }
}
