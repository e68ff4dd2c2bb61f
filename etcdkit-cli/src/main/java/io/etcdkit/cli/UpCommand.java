package io.etcdkit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etcdkit up}: starts a local cluster of real etcd members in a folder, prints the endpoints, and stays in
 * the foreground until Ctrl-C, which stops every member. The data stays in the folder, so the next
 * {@code etcdkit up} in the same folder starts the same cluster with its keys ({@code --fresh} starts empty).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Run a local etcd cluster in the foreground until Ctrl-C.",
            "Prints the endpoints and an 'export ETCD_ENDPOINTS=...' line; Ctrl-C stops every member (exit 130).",
            "The cluster lives in --dir: its data persists, so running 'up' again in the same folder brings the "
                + "same cluster back with its keys (--fresh deletes them first). Member m0 listens on port 2379 "
                + "(m1 on 12379, ...) when those ports are free, else on free ports; the ports are kept with the "
                + "folder. Logs are in DIR/m0/etcd.log and so on.",
            "If 'up' is killed without a chance to clean up (SIGKILL), the members keep running; the next 'up' in "
                + "the folder stops them first."})
final class UpCommand implements Callable<Integer> {
    @Option(names = "--members", paramLabel = "N", defaultValue = "1",
            description = "Number of members, 1 to 9 (default: ${DEFAULT-VALUE}; 3 tolerates one failure).")
    int members;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./.etcdkit/cluster",
            description = "Where the cluster keeps its data and logs (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--client-port", paramLabel = "PORT",
            description = "Client port of member m0 for a new cluster (m1 gets PORT+10000, ...); 0 for any free "
                    + "ports (default: 2379 if free, else any).")
    Integer clientPort;

    @Option(names = "--fresh", description = "Delete the folder's cluster first and start a new, empty one.")
    boolean fresh;

    @Option(names = "--start-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long the members may take to elect a leader (default: ${DEFAULT-VALUE}).")
    Duration startTimeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    record MemberView(String name, String clientUrl, String peerUrl, String log) {
    }

    record Result(List<String> endpoints, String dir, boolean created, List<MemberView> members) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Output out = GlobalOptions.of(spec.commandLine()).output(spec.commandLine().getOut());
        Path folderPath = dir.toAbsolutePath().normalize();
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal; ClusterFolder folder = ClusterFolder.open(folderPath, members, clientPort, fresh)) {
            err.println((folder.created() ? "starting a new" : "restarting the") + " etcd cluster of " + members
                    + " member(s) in " + folderPath + " ...");
            err.flush();
            LocalCluster cluster = LocalCluster.start(folder, startTimeout, err);
            try (cluster) {
                announce(out, folder, cluster);
                watchMembers(cluster, err);
                return ExitCode.FAILURE; // not reached: watchMembers ends by interrupt or failure
            } finally {
                err.println("stopped the etcd cluster; its data stays in " + folderPath);
                err.flush();
            }
        } catch (InterruptedException e) {
            return ExitCode.INTERRUPTED;
        }
    }

    private void announce(Output out, ClusterFolder folder, LocalCluster cluster) {
        String endpoints = String.join(",", cluster.clientUrls());
        if (out.json()) {
            List<MemberView> views = new ArrayList<>();
            for (ClusterFolder.MemberLayout m : folder.layout().members()) {
                views.add(new MemberView(m.name(), m.clientUrl(), m.peerUrl(),
                        folder.memberDir(m).resolve("etcd.log").toString()));
            }
            out.document(new Result(cluster.clientUrls(), folder.dir().toString(), folder.created(), views));
            return;
        }
        out.line("etcd cluster of " + members + " member(s) is up" + (folder.created() ? " (new)"
                : " (with the data of earlier runs)") + "; data in " + folder.dir());
        for (ClusterFolder.MemberLayout m : folder.layout().members()) {
            out.line("  " + m.name() + "  " + m.clientUrl());
        }
        out.line("export ETCD_ENDPOINTS=" + endpoints);
        out.line("Press Ctrl-C to stop.");
    }

    /** Reports members that exit on their own; returns only by interrupt, or fails when none is left. */
    private static void watchMembers(LocalCluster cluster, PrintWriter err) throws InterruptedException {
        List<LocalMember> running = new ArrayList<>(cluster.members());
        while (true) {
            Thread.sleep(500);
            for (LocalMember m : List.copyOf(running)) {
                if (!m.isAlive()) {
                    running.remove(m);
                    err.println("etcd member " + m.name() + " exited (code " + m.exitCode() + "): " + m.lastError());
                    err.flush();
                }
            }
            if (running.isEmpty()) {
                throw new CliException(ExitCode.FAILURE, "every etcd member has exited; see the logs in "
                        + cluster.members().get(0).log().getParent().getParent());
            }
        }
    }
}
