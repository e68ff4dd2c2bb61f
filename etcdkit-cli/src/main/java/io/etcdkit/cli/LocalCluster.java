package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.cluster.MemberStatus;
import java.io.File;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The etcd members of {@code etcdkit up}, started from a {@link ClusterFolder}: {@link #start} returns once every
 * member answers and all agree on a leader; {@link #close()} stops them all (SIGTERM, SIGKILL after 10 s), so no
 * etcd process outlives the command.
 */
final class LocalCluster implements AutoCloseable {
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Duration PROBE = Duration.ofSeconds(1);

    private final List<LocalMember> members;

    private LocalCluster(List<LocalMember> members) {
        this.members = members;
    }

    /** Starts the folder's members and waits at most {@code timeout} until they form a cluster with a leader. */
    static LocalCluster start(ClusterFolder folder, Duration timeout, PrintWriter notes) throws InterruptedException {
        Path etcd = locateEtcd();
        String initialCluster = folder.layout().members().stream().map(m -> m.name() + "=" + m.peerUrl())
                .collect(Collectors.joining(","));
        List<LocalMember> members = new ArrayList<>();
        for (ClusterFolder.MemberLayout m : folder.layout().members()) {
            members.add(new LocalMember(etcd, m, folder.memberDir(m), initialCluster, folder.layout().token()));
        }
        LocalCluster cluster = new LocalCluster(List.copyOf(members));
        try {
            for (LocalMember m : members) {
                m.start().ifPresent(pid -> notes.println("stopped etcd process " + pid + " of member " + m.name()
                        + ", left running by an earlier 'etcdkit up' that did not stop cleanly"));
            }
            cluster.awaitLeader(timeout);
            return cluster;
        } catch (RuntimeException | InterruptedException e) {
            cluster.close();
            throw e;
        }
    }

    List<LocalMember> members() {
        return members;
    }

    List<String> clientUrls() {
        return members.stream().map(LocalMember::clientUrl).toList();
    }

    /** Stops every member; idempotent. */
    @Override
    public void close() {
        members.forEach(LocalMember::requestStop);
        members.forEach(m -> m.awaitStop(STOP_GRACE));
    }

    private void awaitLeader(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (EtcdClient client = EtcdClient.builder().endpoints(clientUrls()).connectTimeout(PROBE).deadline(PROBE)
                .attemptTimeout(PROBE).build()) {
            while (true) {
                for (LocalMember m : members) {
                    if (!m.isAlive()) {
                        throw new CliException(ExitCode.FAILURE, "etcd member " + m.name() + " exited during start "
                                + "(code " + m.exitCode() + "): " + m.lastError() + " (log: " + m.log() + ")");
                    }
                }
                if (agreeOnLeader(client)) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new CliException(ExitCode.UNAVAILABLE, "the etcd cluster had no leader within "
                            + DurationConverter.format(timeout) + "; last error of " + members.get(0).name() + ": "
                            + members.get(0).lastError() + " (logs in " + members.get(0).log().getParent().getParent()
                            + ")");
                }
                Thread.sleep(200);
            }
        }
    }

    private boolean agreeOnLeader(EtcdClient client) {
        Set<Long> leaders = new HashSet<>();
        for (LocalMember m : members) {
            try {
                MemberStatus s = client.maintenance().status(m.clientUrl());
                if (!s.hasLeader()) {
                    return false;
                }
                leaders.add(s.leaderId());
            } catch (RuntimeException e) {
                return false; // not answering yet
            }
        }
        return leaders.size() == 1;
    }

    /** etcd from {@code ETCD_BIN}, else from the {@code PATH}. */
    static Path locateEtcd() {
        String fromEnv = System.getenv("ETCD_BIN");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (!Files.isExecutable(p)) {
                throw new CliException(ExitCode.FAILURE, "ETCD_BIN=" + fromEnv + " is not an executable file");
            }
            return p;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = dir.isEmpty() ? null : Path.of(dir, "etcd");
            if (p != null && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new CliException(ExitCode.FAILURE, "etcd is not installed: install it (Debian/Ubuntu: apt-get install "
                + "etcd-server) or point ETCD_BIN at the etcd binary");
    }
}
