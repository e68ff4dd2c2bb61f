package io.etcdkit.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.CompactedException;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Maintenance against a real 3-member cluster with TLS and authentication (as root). */
class MaintenanceTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).tls(true).auth(true)
            .build();

    static EtcdClient client;
    static Maintenance maintenance;

    @BeforeAll
    static void connect() {
        client = TestClients.builder(ETCD.cluster(), true).build();
        maintenance = client.maintenance();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void statusOfEveryMemberShowsExactlyOneLeader() {
        List<MemberStatus> all = maintenance.status();
        assertThat(all).hasSize(3);
        assertThat(all).extracting(MemberStatus::endpoint).containsExactlyElementsOf(ETCD.clientEndpoints());
        assertThat(all).filteredOn(MemberStatus::isLeader).hasSize(1);
        assertThat(all).extracting(MemberStatus::leaderId).containsOnly(all.stream()
                .filter(MemberStatus::isLeader).findFirst().orElseThrow().memberId());
        assertThat(all).extracting(MemberStatus::memberId).doesNotHaveDuplicates();
        assertThat(all).allSatisfy(s -> {
            assertThat(s.version()).matches("3\\.\\d+\\.\\d+.*");
            assertThat(s.dbSize()).isPositive();
            assertThat(s.dbSizeInUse()).isPositive().isLessThanOrEqualTo(s.dbSize());
            assertThat(s.raftTerm()).isPositive();
            assertThat(s.raftIndex()).isPositive();
            assertThat(s.raftAppliedIndex()).isPositive();
            assertThat(s.learner()).isFalse();
            assertThat(s.errors()).isEmpty();
        });
        assertThat(all).extracting(MemberStatus::memberIdHex).containsExactly(
                ETCD.cluster().member(0).memberId(), ETCD.cluster().member(1).memberId(),
                ETCD.cluster().member(2).memberId());
    }

    @Test
    void statusOfOneEndpointIsAnsweredByThatMember() {
        String second = ETCD.clientEndpoints().get(1);
        MemberStatus s = maintenance.status(second);
        assertThat(s.endpoint()).isEqualTo(second);
        assertThat(s.memberIdHex()).isEqualTo(ETCD.cluster().member(1).memberId());
        // host:port without scheme names the configured endpoint
        assertThat(maintenance.status(second.substring("https://".length())).endpoint()).isEqualTo(second);
        assertThatThrownBy(() -> maintenance.status("https://127.0.0.1:1"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not one of this client's");
        assertThatThrownBy(() -> maintenance.status("ftp://x"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("ftp");
    }

    @Test
    void leaderIsTheMemberThatSaysSo() {
        Member leader = maintenance.leader();
        assertThat(leader.idHex()).isEqualTo(ETCD.cluster().leader().memberId());
        assertThat(leader.clientUrls()).containsExactly(ETCD.cluster().leader().clientEndpoint());
    }

    @Test
    void leadershipMovesToTheChosenMember() throws Exception {
        Member leader = maintenance.leader();
        Member follower = client.cluster().members().stream().filter(m -> m.id() != leader.id()).findFirst()
                .orElseThrow();
        maintenance.moveLeader(follower.id());
        assertThat(TestClients.await(Duration.ofSeconds(5), () -> maintenance.leader().id() == follower.id()))
                .as("leader moved to %s", follower).isTrue();
        maintenance.moveLeader(follower.id()); // already leader: nothing to do
        assertThat(maintenance.leader().id()).isEqualTo(follower.id());
        assertThatThrownBy(() -> maintenance.moveLeader(0x1234L))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("cannot lead");
        assertThat(maintenance.leader().id()).isEqualTo(follower.id());
    }

    @Test
    void noAlarmsOnAHealthyCluster() {
        assertThat(maintenance.alarms()).isEmpty();
        Member any = client.cluster().members().get(0);
        assertThat(maintenance.disarm(new Alarm(any.id(), AlarmType.NOSPACE))).isFalse();
        assertThat(maintenance.alarms()).isEmpty();
    }

    @Test
    void compactionDiscardsOldRevisionsWithClearErrors() {
        long first = client.kv().put("compact/a", "1").revision();
        client.kv().put("compact/a", "2");
        long third = client.kv().put("compact/a", "3").revision();
        assertThat(client.kv().range(Range.key("compact/a").atRevision(first)).first()).isPresent();

        maintenance.compact(third, true);

        assertThatThrownBy(() -> client.kv().range(Range.key("compact/a").atRevision(first)))
                .isInstanceOf(CompactedException.class);
        assertThat(client.kv().range(Range.key("compact/a").atRevision(third)).first().orElseThrow()
                .valueAsString()).isEqualTo("3");
        assertThatThrownBy(() -> client.kv().range(Range.key("compact/a").atRevision(third + 1000)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("future revision");
        // compacting again at or below the compaction point, or past the current revision: typed errors
        assertThatThrownBy(() -> maintenance.compact(first, false))
                .isInstanceOf(CompactedException.class).hasMessageContaining("already compacted");
        assertThatThrownBy(() -> maintenance.compact(third + 1000, false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("has not been written yet");
        assertThatThrownBy(() -> maintenance.compact(0, false))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> maintenance.hashKv(ETCD.clientEndpoints().get(0), first))
                .isInstanceOf(CompactedException.class).hasMessageContaining("has been compacted");
        assertThat(client.kv().get("compact/a").orElseThrow().valueAsString()).isEqualTo("3");
    }

    @Test
    void defragmentKeepsEveryMemberServing() {
        for (int i = 0; i < 20; i++) {
            client.kv().put("defrag/" + i, "x".repeat(1000));
        }
        client.kv().deletePrefix("defrag/");
        long rev = client.kv().put("defrag/last", "1").revision();
        maintenance.compact(rev, true);
        for (String endpoint : ETCD.clientEndpoints()) {
            maintenance.defragment(endpoint);
            MemberStatus after = maintenance.status(endpoint);
            assertThat(after.dbSizeInUse()).isLessThanOrEqualTo(after.dbSize());
        }
        assertThat(client.kv().get("defrag/last")).isPresent();
        assertThatThrownBy(() -> maintenance.defragment("https://127.0.0.1:1"))
                .isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void hashesAgreeAcrossMembersAtTheSameRevision() throws Exception {
        for (int i = 0; i < 20; i++) {
            client.kv().put("hash/" + i, "v" + i);
        }
        long rev = client.kv().put("hash/last", "x").revision();
        List<KvHash> hashes = new ArrayList<>();
        for (String endpoint : ETCD.clientEndpoints()) {
            // a follower may not have applied `rev` yet; it then says "future revision"
            KvHash[] h = new KvHash[1];
            assertThat(TestClients.await(Duration.ofSeconds(5), () -> {
                try {
                    h[0] = maintenance.hashKv(endpoint, rev);
                    return true;
                } catch (InvalidArgumentException e) {
                    return false;
                }
            })).as("hash of %s at %d", endpoint, rev).isTrue();
            hashes.add(h[0]);
        }
        assertThat(hashes).extracting(KvHash::hash).containsOnly(hashes.get(0).hash());
        assertThat(hashes).extracting(KvHash::compactRevision).containsOnly(hashes.get(0).compactRevision());
        assertThat(hashes).extracting(KvHash::endpoint).containsExactlyElementsOf(ETCD.clientEndpoints());
        assertThat(hashes).allSatisfy(h -> assertThat(h.revision()).isGreaterThanOrEqualTo(rev));
        // a different history gives a different hash
        client.kv().put("hash/extra", "y");
        long later = client.kv().get("hash/extra").orElseThrow().modRevision();
        String leader = ETCD.cluster().leader().clientEndpoint();
        assertThat(maintenance.hashKv(leader, later).hash()).isNotEqualTo(hashes.get(0).hash());
    }

    @Test
    void snapshotIsSavedAtomicallyAndVerified(@TempDir Path dir) throws Exception {
        for (int i = 0; i < 20; i++) {
            client.kv().put("snap/" + i, "value-" + i);
        }
        Path file = dir.resolve("etcd.snapshot");
        Files.writeString(file, "old content, to be replaced");
        List<Long> progress = new CopyOnWriteArrayList<>();
        SnapshotInfo info = maintenance.snapshot(file, progress::add);

        assertThat(info.file()).isEqualTo(file.toAbsolutePath());
        assertThat(Files.size(file)).isEqualTo(info.size()).isGreaterThan(32);
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.get(progress.size() - 1)).isEqualTo(info.size());
        byte[] bytes = Files.readAllBytes(file);
        byte[] db = Arrays.copyOf(bytes, bytes.length - 32);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(db);
        assertThat(HexFormat.of().formatHex(digest)).isEqualTo(info.sha256());
        assertThat(Arrays.copyOfRange(bytes, bytes.length - 32, bytes.length)).isEqualTo(digest);
        assertThat(ETCD.clientEndpoints()).contains(info.endpoint());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }

        Path etcdctl = Path.of("/usr/bin/etcdctl");
        if (Files.isExecutable(etcdctl)) {
            Process p = new ProcessBuilder(etcdctl.toString(), "snapshot", "status", file.toString(), "-w", "json")
                    .redirectErrorStream(true).start();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String out = new String(p.getInputStream().readAllBytes());
            assertThat(p.exitValue()).as("etcdctl snapshot status: %s", out).isZero();
            assertThat(out).contains("\"revision\"").contains("\"totalKey\"");
        }
    }

    @Test
    void snapshotErrorsLeaveNothingBehind(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> maintenance.snapshot(dir.resolve("missing/dir/file")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> maintenance.snapshot(dir))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("directory");
        Path file = dir.resolve("abandoned.snapshot");
        assertThatThrownBy(() -> maintenance.snapshot(file, n -> {
            throw new IllegalStateException("stop here");
        })).hasMessageContaining("progress callback").hasMessageContaining("stop here");
        CompletableFuture<SnapshotInfo> cancelled = maintenance.snapshotAsync(dir.resolve("cancelled.snapshot"));
        cancelled.cancel(true);
        assertThat(cancelled).isCancelled();
        try (Stream<Path> files = Files.list(dir)) {
            // the cancelled download deletes its temporary file when its call closes
            List<Path> left = files.toList();
            assertThat(left).noneMatch(p -> p.getFileName().toString().equals("abandoned.snapshot"));
        }
        assertThat(awaitNoTempFiles(dir)).as("temporary files deleted").isTrue();
    }

    private static boolean awaitNoTempFiles(Path dir) {
        try {
            return TestClients.await(Duration.ofSeconds(5), () -> {
                try (Stream<Path> files = Files.list(dir)) {
                    return files.findAny().isEmpty();
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
