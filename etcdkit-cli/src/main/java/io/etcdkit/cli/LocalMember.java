package io.etcdkit.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One etcd process of {@code etcdkit up}, with its data, log and pid file in its folder
 * ({@link ClusterFolder}). Its data directory persists: a restarted member keeps its keys (etcd ignores the
 * initial-cluster flags once the data directory exists).
 */
final class LocalMember {
    private final ClusterFolder.MemberLayout layout;
    private final Path dir;
    private final List<String> command;
    private volatile Process process;

    LocalMember(Path etcd, ClusterFolder.MemberLayout layout, Path dir, String initialCluster, String token) {
        this.layout = layout;
        this.dir = dir;
        this.command = List.of(etcd.toString(),
                "--name=" + layout.name(),
                "--data-dir=" + dir.resolve("data"),
                "--listen-client-urls=" + layout.clientUrl(),
                "--advertise-client-urls=" + layout.clientUrl(),
                "--listen-peer-urls=" + layout.peerUrl(),
                "--initial-advertise-peer-urls=" + layout.peerUrl(),
                "--initial-cluster=" + initialCluster,
                "--initial-cluster-state=new",
                "--initial-cluster-token=" + token,
                "--logger=zap",
                "--log-outputs=stderr");
    }

    String name() {
        return layout.name();
    }

    String clientUrl() {
        return layout.clientUrl();
    }

    Path log() {
        return dir.resolve("etcd.log");
    }

    private Path pidFile() {
        return dir.resolve("etcd.pid");
    }

    /**
     * Starts the process. A process left running by an earlier {@code etcdkit up} that was killed (its pid is
     * still recorded and it runs on this member's data) is stopped first; returns its pid then.
     */
    Optional<Long> start() {
        try {
            Files.createDirectories(dir);
            Optional<Long> leftover = stopLeftover();
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
            Files.writeString(pidFile(), Long.toString(process.pid()), StandardCharsets.US_ASCII);
            return leftover;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start etcd member " + name() + ": " + e.getMessage(), e);
        }
    }

    boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** The exit code once the process has ended. */
    int exitCode() {
        return process.exitValue();
    }

    /** Asks the process to stop (SIGTERM); etcd then shuts down cleanly. */
    void requestStop() {
        Process p = process;
        if (p != null) {
            p.destroy();
        }
    }

    /** Waits up to {@code grace} for the process to end after {@link #requestStop()}, then kills it. */
    void awaitStop(Duration grace) {
        Process p = process;
        if (p == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
            Files.deleteIfExists(pidFile());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            interrupted = true;
        } catch (IOException e) {
            // a stale pid file is recognized (and ignored) at the next start
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last line of the log that reports an error, for a one-line start failure. */
    String lastError() {
        try {
            List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (line.contains("\"level\":\"fatal\"") || line.contains("\"level\":\"error\"")
                        || line.contains("\"level\":\"panic\"")) {
                    return Output.shorten(line, 300);
                }
            }
            return lines.isEmpty() ? "(empty log)" : Output.shorten(lines.get(lines.size() - 1), 300);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private Optional<Long> stopLeftover() throws IOException {
        if (!Files.exists(pidFile())) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile(), StandardCharsets.US_ASCII).strip());
        } catch (NumberFormatException e) {
            Files.delete(pidFile());
            return Optional.empty();
        }
        Optional<ProcessHandle> old = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .filter(h -> h.info().commandLine().map(c -> c.contains(dir.resolve("data").toString()))
                        .orElse(false));
        Files.delete(pidFile());
        if (old.isEmpty()) {
            return Optional.empty();
        }
        old.get().destroy();
        try {
            old.get().onExit().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            old.get().destroyForcibly();
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            old.get().destroyForcibly();
        }
        return Optional.of(pid);
    }
}
