package io.etcdkit.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The user's command run by {@code lock}: it shares etcdkit's stdin, stdout and stderr, and can be stopped with
 * its whole process tree (a {@code sh -c '...'} and everything it started): SIGTERM first, SIGKILL after a grace
 * period.
 */
final class ChildProcess {
    /** The exit code when the command cannot be started at all, as shells use for "command not found". */
    static final int CANNOT_RUN = 127;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);

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

    /** Completes when the command has ended. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /**
     * Sends SIGTERM to the command and every process it started, waits up to {@code grace} for all of them to
     * end, then sends SIGKILL to whatever is left. Returns once they have all ended.
     */
    void terminate(Duration grace) {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        tree.forEach(ProcessHandle::destroy);
        boolean interrupted = awaitExit(tree, grace);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        interrupted |= awaitExit(tree, KILL_WAIT);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits up to {@code limit} for every process to end; an interrupt is noted, not obeyed. Whether one came. */
    private static boolean awaitExit(List<ProcessHandle> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        for (ProcessHandle h : processes) {
            while (true) {
                try {
                    h.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    break;
                } catch (InterruptedException e) {
                    interrupted = true; // finish stopping the command first
                } catch (ExecutionException | TimeoutException e) {
                    break;
                }
            }
        }
        return interrupted;
    }
}
