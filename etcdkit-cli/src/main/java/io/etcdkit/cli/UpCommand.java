package io.etcdkit.cli;

import io.etcdkit.testing.EtcdCluster;
import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etcdkit up}: starts a local cluster of real etcd members, prints the endpoints, and stays in the
 * foreground until interrupted (Ctrl-C), then stops the members and removes their data.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = "Start a local etcd cluster in the foreground; Ctrl-C stops it.")
final class UpCommand implements Runnable {
    @Option(names = "--members", defaultValue = "1", description = "Number of members (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        EtcdCluster cluster = EtcdCluster.builder().members(members).build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            cluster.close();
            stopped.countDown();
        }, "etcdkit-up-shutdown"));
        cluster.start();
        out.println("etcd cluster of " + members + " member(s) is up.");
        out.println("ETCD_ENDPOINTS=" + cluster.clientEndpointsString());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
