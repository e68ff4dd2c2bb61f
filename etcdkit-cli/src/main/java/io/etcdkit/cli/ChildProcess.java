package io.etcdkit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The user's command run by {@code lock}: it shares etcdkit's stdin, stdout and stderr, and can be stopped with
 * its whole process tree (a {@code sh -c '...'} and everything it started): SIGTERM first, SIGKILL after a grace
 * period.
 */
final class ChildProcess {
    /** The exit code when the command cannot be started at all, as shells use for "command not found". */
    static final int CANNOT_RUN = 127;
    private static final Duration KILL_WAIT = Duration.ofSeconds(10);
    private static final Duration EXIT_POLL = Duration.ofMillis(10);

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

    /**
     * Waits up to {@code limit} for every process to end; an interrupt is noted, not obeyed. Whether one came.
     * The JDK learns of a process that is not our direct child (what {@code sh -c} started) only by polling every
     * 300 ms or more, so a grace period would overrun by that much; this checks all of them every
     * {@link #EXIT_POLL} instead, and counts a killed grandchild that waits to be reaped as ended (see
     * {@link #hasEnded}).
     */
    private static boolean awaitExit(List<ProcessHandle> processes, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        boolean interrupted = false;
        while (processes.stream().anyMatch(h -> !hasEnded(h))) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                Thread.sleep(Math.max(1, Math.min(EXIT_POLL.toMillis(), TimeUnit.NANOSECONDS.toMillis(left))));
            } catch (InterruptedException e) {
                interrupted = true; // finish stopping the command first
            }
        }
        return interrupted;
    }

    /**
     * Whether the process has ended. A killed grandchild is re-parented to PID 1 and stays a zombie until PID 1
     * reaps it (seen here: 1.3 s in a container whose init reaps slowly); the JDK counts a zombie as alive. On
     * Linux the process state in {@code /proc/PID/stat} tells a zombie ({@code Z}) or a dead process
     * ({@code X}), both ended.
     */
    static boolean hasEnded(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            int afterName = stat.lastIndexOf(')'); // the command name may contain spaces and parentheses
            char state = afterName >= 0 && afterName + 2 < stat.length() ? stat.charAt(afterName + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return !process.isAlive(); // no /proc (not Linux) or the process is gone meanwhile
        }
    }
}
