package io.etcdkit.cli;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code etcdkit} program: runs the command line and exits with its {@link ExitCode}. */
public final class Main {
    private Main() {
    }

    /**
     * gRPC's shaded Netty reads this before its first class loads; without Unsafe it uses plain buffers, which a
     * command-line program does not notice, and Java 24+ prints no warning about terminally deprecated
     * {@code sun.misc.Unsafe} memory access on a plain {@code java -jar}. An explicit {@code -D} wins.
     */
    static final String NETTY_NO_UNSAFE = "io.grpc.netty.shaded.io.netty.noUnsafe";

    /** Runs {@code etcdkit args...} on the process's stdout and stderr and exits with the command's code. */
    public static void main(String[] args) {
        if (System.getProperty(NETTY_NO_UNSAFE) == null) {
            System.setProperty(NETTY_NO_UNSAFE, "true");
        }
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int code = EtcdkitCommand.run(out, err, stderrIsTerminal(), args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Whether fd 2 is a terminal; Linux tells through /proc, elsewhere we guess from the console. */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }
}
