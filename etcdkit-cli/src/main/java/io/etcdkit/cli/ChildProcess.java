package io.etcdkit.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The user's command run by {@code lock}: it shares etcdkit's stdin, stdout and stderr, and can be stopped with
 * its whole process tree (a {@code sh -c '...'} and everything it started): SIGTERM first, SIGKILL after a grace
 * period.
 */
final class ChildProcess {
    /** The exit code when the command cannot be started at all, as shells use for "command not found". */
    static final int CANNOT_RUN = 127;

    private final Process process;

    private ChildProcess(Process process) {
        this.process = process;
    }

    /** Starts {@code command} with {@code extraEnv} added to etcdkit's environment. */
    static ChildProcess start(List<String> command, Map<String, String> extraEnv) {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        builder.environment().putAll(extraEnv);
        try {
            return new ChildProcess(builder.start());
        } catch (IOException e) {
            throw new CliException(CANNOT_RUN, "cannot run '" + command.get(0) + "': " + e.getMessage(), e);
        }
    }

    /** Waits for the command to end; its exit code (128 + N when signal N ended it). */
    int waitFor() throws InterruptedException {
        return process.waitFor();
    }

    /** Whether the command still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * Sends SIGTERM to the command and every process it started, waits up to {@code grace} for the command to
     * end, then sends SIGKILL to whatever of them is left. Returns once the command has ended.
     */
    void terminate(Duration grace) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroy();
        tree.forEach(ProcessHandle::destroy);
        boolean ended = false;
        boolean interrupted = false;
        long deadline = System.nanoTime() + grace.toNanos();
        while (!ended) {
            try {
                ended = process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true; // finish stopping the command first
            }
        }
        if (!ended) {
            process.destroyForcibly();
        }
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        if (!ended) {
            process.onExit().join();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
