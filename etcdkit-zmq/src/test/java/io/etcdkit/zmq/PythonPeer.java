package io.etcdkit.zmq;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child process running {@code src/test/python/zmq_peer.py} with Debian's {@code /usr/bin/python3}; its output
 * lines are collected as they come.
 */
final class PythonPeer implements AutoCloseable {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    static final Path SCRIPT = Path.of("src/test/python/zmq_peer.py").toAbsolutePath();

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> all = new java.util.concurrent.CopyOnWriteArrayList<>();

    private PythonPeer(Process process) {
        this.process = process;
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    all.add(line);
                    lines.add(line);
                }
            } catch (IOException e) {
                all.add("<read failed: " + e + ">");
            }
        }, "python-peer-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Why the peers cannot run here, or empty when they can: Debian's python3 with the python3-zmq and
     * python3-etcd3 packages is needed.
     */
    static Optional<String> unavailableReason() {
        if (!Files.isExecutable(PYTHON)) {
            return Optional.of(PYTHON + " is missing");
        }
        try {
            Process p = new ProcessBuilder(PYTHON.toString(), "-c", "import zmq, etcd3").redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.of("'import zmq, etcd3' failed: " + out);
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("cannot run " + PYTHON + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Skips the calling test class, saying why and how to fix it, when the peers cannot run here. */
    static void assumeAvailable() {
        Optional<String> why = unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why.isEmpty(), () -> "SKIPPED cross-language ZeroMQ tests: "
                + why.orElse("") + "; install Debian's packages with 'apt-get install -y python3-zmq python3-etcd3' "
                + "(scripts/ensure-tools.sh does)");
    }

    /** The {@code host:port} of the first endpoint, as the Python peer's {@code --etcd} takes it. */
    static String hostPort(List<String> endpoints) {
        java.net.URI endpoint = java.net.URI.create(endpoints.get(0));
        return endpoint.getHost() + ":" + endpoint.getPort();
    }

    static PythonPeer start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(PYTHON.toString(), "-u", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().remove("PYTHONPATH"); // Debian's packages, not whatever an active virtualenv adds
        pb.environment().remove("PYTHONHOME");
        return new PythonPeer(pb.start());
    }

    /** The next output line starting with {@code prefix}, skipping others; empty on time-out. */
    Optional<String> awaitLine(String prefix, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) {
                return Optional.of(line);
            }
        }
    }

    void tell(String line) throws IOException {
        Writer w = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        w.write(line + "\n");
        w.flush();
    }

    /** Waits for the exit; -1 on time-out. */
    int awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Everything it printed so far. */
    List<String> output() {
        return List.copyOf(all);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
