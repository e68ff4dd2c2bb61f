package io.etcdkit.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code etcdkit} command: a local cluster ({@code up}), the demo tour, and everyday etcd operations, one
 * subcommand per file. Global options ({@link GlobalOptions}) may be given before or after the subcommand's name.
 * Errors are one line on stderr; exit codes are listed in {@link ExitCode} and at the end of every help page.
 */
@Command(name = "etcdkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "The etcd toolkit for the JVM: a local cluster, a demo tour, and everyday etcd operations.",
        subcommands = {UpCommand.class, GetCommand.class, PutCommand.class, DelCommand.class, LsCommand.class,
            WatchCommand.class, TxnCommand.class, LeaseCommand.class, LockCommand.class, ElectCommand.class,
            RegistryCommand.class, QueueCommand.class, StatusCommand.class, SnapshotCommand.class, BulkCommand.class, DemoCommand.class,
            SoakCommand.class,
            CommandLine.HelpCommand.class})
public final class EtcdkitCommand implements Runnable {
    @CommandLine.Mixin
    GlobalOptions options = new GlobalOptions();

    /** Where {@code put KEY -} and {@code bulk load -} read; stdin unless a test gives another stream. */
    InputStream stdin = System.in;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line with the given output and error streams and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, false, args);
    }

    /** Runs the command line reading stdin from {@code in}; returns its exit code. */
    public static int run(InputStream in, PrintWriter out, PrintWriter err, String... args) {
        EtcdkitCommand root = new EtcdkitCommand();
        root.stdin = in;
        return execute(root, out, err, false, args);
    }

    static int run(PrintWriter out, PrintWriter err, boolean stderrIsTerminal, String... args) {
        return execute(new EtcdkitCommand(), out, err, stderrIsTerminal, args);
    }

    private static int execute(EtcdkitCommand root, PrintWriter out, PrintWriter err, boolean stderrIsTerminal,
            String... args) {
        root.options.stderrIsTerminal = stderrIsTerminal;
        CommandLine cl = new CommandLine(root);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        ErrorReporter reporter = new ErrorReporter();
        cl.setExecutionExceptionHandler(reporter);
        cl.setParameterExceptionHandler(reporter);
        addExitCodes(cl);
        return cl.execute(args);
    }

    private static void addExitCodes(CommandLine cl) {
        cl.getCommandSpec().usageMessage().footer(ExitCode.TABLE);
        for (CommandLine sub : cl.getSubcommands().values()) {
            addExitCodes(sub);
        }
    }

    /** The stdin of the run that {@code spec} belongs to. */
    static InputStream stdin(CommandLine.Model.CommandSpec spec) {
        CommandLine root = spec.commandLine();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return ((EtcdkitCommand) root.getCommand()).stdin;
    }
}
