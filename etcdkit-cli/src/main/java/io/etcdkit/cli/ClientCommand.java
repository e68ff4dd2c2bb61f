package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/**
 * A command that talks to etcd: it gets a client made from the {@link GlobalOptions}, closed when it ends, and
 * returns its {@link ExitCode}. Failures it throws are reported by {@link ErrorReporter}.
 */
abstract class ClientCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        GlobalOptions options = GlobalOptions.of(spec.commandLine());
        Output out = options.output(spec.commandLine().getOut());
        try (EtcdClient client = options.connect(options.endpointList(), this::tune)) {
            return run(client, out);
        }
    }

    /** Adjusts the client this command gets, beyond the global options; nothing by default. */
    void tune(EtcdClientBuilder builder) {
    }

    /** Runs the command; returns its exit code. */
    abstract int run(EtcdClient client, Output out) throws Exception;

    /** The global options of this run. */
    GlobalOptions options() {
        return GlobalOptions.of(spec.commandLine());
    }

    /** Where messages for the user (not results) go. */
    java.io.PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** The command as the user typed it, for messages: {@code etcdkit lease grant}. */
    String name() {
        return spec.qualifiedName();
    }
}
