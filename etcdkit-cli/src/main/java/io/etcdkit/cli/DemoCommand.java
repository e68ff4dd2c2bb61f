package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etcdkit demo}: a guided tour of etcdkit against a real cluster — a throwaway local member unless
 * {@code --endpoints} or {@code ETCD_ENDPOINTS} names one. Every section prints a header line
 * {@code == Section ==} and what it did, so the output can be checked section by section. The demo writes only
 * under the key prefix {@code /etcdkit-demo/} and removes it at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Walk through etcdkit's features against a real etcd (a throwaway local one by default).")
final class DemoCommand implements Runnable {
    @Option(names = "--endpoints", description = "Comma-separated etcd endpoints (default: ETCD_ENDPOINTS, else "
            + "a throwaway local member).")
    String endpoints;

    @Option(names = "--verbose", description = "Print stack traces on errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        try (Endpoints where = Endpoints.resolve(endpoints, true, out);
                EtcdClient root = EtcdClient.builder().endpoints(where.list()).build()) {
            EtcdClient client = root.withNamespace("/etcdkit-demo/");
            DemoTour tour = new DemoTour(client, out);
            tour.run();
            out.println();
            out.println("Demo complete: every section ran against " + String.join(",", where.list()) + ".");
            out.flush();
        }
    }
}
