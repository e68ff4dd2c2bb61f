package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code etcdkit demo}: a guided tour of etcdkit against a real cluster — a throwaway local member unless
 * {@code --endpoints} or {@code ETCD_ENDPOINTS} names one. Every section prints a header line
 * {@code == Section ==} and what it did, so the output can be checked section by section. The demo writes only
 * under the key prefix {@code /etcdkit-demo/} and removes it at the end.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Walk through etcdkit's features against a real etcd.",
            "Uses a throwaway local member unless --endpoints or $ETCD_ENDPOINTS names a cluster.",
            "It writes only under /etcdkit-demo/ (within --namespace, if given) and removes that prefix at the end."})
final class DemoCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        GlobalOptions options = GlobalOptions.of(spec.commandLine());
        try (Endpoints where = Endpoints.resolve(options.endpoints, true, out);
                EtcdClient root = options.connect(where.list())) {
            EtcdClient client = root.withNamespace("/etcdkit-demo/");
            DemoTour tour = new DemoTour(client, out);
            tour.run();
            out.println();
            out.println("Demo complete: every section ran against " + String.join(",", where.list()) + ".");
            out.flush();
        }
    }
}
