package io.etcdkit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals to a process with the {@code kill} command and observes whether a process is
 * stopped (SIGSTOP) through {@code /proc}. Stateless and thread-safe.
 */
final class ProcessSignals {

    /** The signals the harness uses. */
    enum Signal {
        /** Ask to terminate gracefully. */
        TERM,
        /** Terminate immediately. */
        KILL,
        /** Freeze the process; it keeps its sockets but answers nothing. */
        STOP,
        /** Thaw a stopped process. */
        CONT
    }

    private ProcessSignals() {
    }

    /**
     * Runs {@code kill -s <signal> <pid>} and waits (bounded) for it.
     *
     * @throws EtcdTestingException if {@code kill} fails, e.g. because the process no longer exists
     */
    static void send(long pid, Signal signal) {
        ProcessBuilder builder = new ProcessBuilder("kill", "-s", signal.name(), Long.toString(pid))
                .redirectErrorStream(true);
        try {
            Process kill = builder.start();
            byte[] output = kill.getInputStream().readAllBytes();
            if (!kill.waitFor(10, TimeUnit.SECONDS)) {
                kill.destroyForcibly();
                throw new EtcdTestingException("`kill -s " + signal + " " + pid + "` did not finish in 10 s");
            }
            if (kill.exitValue() != 0) {
                throw new EtcdTestingException("`kill -s " + signal + " " + pid + "` failed with exit code "
                        + kill.exitValue() + ": " + new String(output, StandardCharsets.UTF_8).trim());
            }
        } catch (IOException e) {
            throw new EtcdTestingException("Cannot run `kill` to send SIG" + signal + " to process " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdTestingException("Interrupted while sending SIG" + signal + " to process " + pid, e);
        }
    }

    /**
     * Whether the process is in the stopped state ({@code T} in {@code /proc/<pid>/stat}).
     *
     * @return empty if the state cannot be read (no {@code /proc}, or the process is gone)
     */
    static Optional<Boolean> isStopped(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat, StandardCharsets.UTF_8);
            int end = text.lastIndexOf(')');
            if (end < 0 || end + 2 >= text.length()) {
                return Optional.empty();
            }
            char state = text.charAt(end + 2);
            return Optional.of(state == 'T' || state == 't');
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
