package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.cluster.Member;
import io.etcdkit.cluster.MemberStatus;
import io.etcdkit.cluster.SnapshotInfo;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A read-only look at a cluster: members, each member's status, the leader, alarms, and a backup snapshot saved to
 * a temporary file (deleted again). Changes nothing in etcd.
 */
public final class ClusterStatusExample {
    private ClusterStatusExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            for (Member member : client.cluster().members()) {
                out.println("member " + member.idHex() + " '" + member.name() + "' " + member.clientUrls()
                        + (member.learner() ? " (learner)" : ""));
            }
            for (MemberStatus status : client.maintenance().status()) {
                out.println("status of " + status.endpoint() + ": etcd " + status.version() + ", raft term "
                        + status.raftTerm() + ", db " + status.dbSize() + " bytes" + (status.isLeader() ? ", leader" : ""));
            }
            out.println("leader: " + client.maintenance().leader().name());
            out.println("alarms: " + client.maintenance().alarms());

            Path file = Files.createTempFile("etcd-backup-", ".db");
            try {
                SnapshotInfo snapshot = client.maintenance().snapshot(file);
                out.println("snapshot: " + snapshot.size() + " bytes from " + snapshot.endpoint() + ", sha256 "
                        + snapshot.sha256().substring(0, 12) + "...");
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
