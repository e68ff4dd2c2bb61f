package io.etcdkit.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code etcdkit} command: a local cluster ({@code up}), the demo tour ({@code demo}) and everyday etcd
 * operations. Exit codes: 0 success, 1 an etcd or usage error (one clear line on stderr; the stack trace only
 * with {@code --verbose}), 2 bad command-line usage.
 */
@Command(name = "etcdkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The etcd toolkit for the JVM: a local cluster, a demo tour, and everyday etcd operations.",
        subcommands = {DemoCommand.class, UpCommand.class, CommandLine.HelpCommand.class})
public final class EtcdkitCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line with the given output and error streams and returns its exit code. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new EtcdkitCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorReporter());
        return cl.execute(args);
    }
}
