package io.etcdkit.testing.nemesis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdTestingException;

/**
 * Runs {@code etcdctl} (v3 API) against members of one cluster as an outside client, with the cluster's TLS files
 * and root credentials when it has them, and a bounded wait. Thread-safe.
 */
final class Etcdctl {

    private static final long TIMEOUT_SECONDS = 30;

    private final EtcdCluster cluster;
    private final Path binary;

    private Etcdctl(EtcdCluster cluster, Path binary) {
        this.cluster = cluster;
        this.binary = binary;
    }

    /** An etcdctl for {@code cluster}, or empty when no {@code etcdctl} is found (ETCDCTL_BIN or PATH). */
    static Optional<Etcdctl> find(EtcdCluster cluster) {
        String explicit = System.getenv("ETCDCTL_BIN");
        if (explicit != null && Files.isExecutable(Path.of(explicit))) {
            return Optional.of(new Etcdctl(cluster, Path.of(explicit)));
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcdctl");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new Etcdctl(cluster, candidate));
            }
        }
        return Optional.empty();
    }

    /**
     * Runs {@code etcdctl --endpoints=<endpoints> <args>} and returns its standard output.
     *
     * @throws EtcdTestingException if it fails or does not finish in 30 s (the message has its output)
     */
    String run(String endpoints, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--endpoints=" + endpoints);
        command.add("--command-timeout=10s");
        cluster.tlsFiles().ifPresent(tls -> {
            command.add("--cacert=" + tls.caCert());
            command.add("--cert=" + tls.clientCert());
            command.add("--key=" + tls.clientKey());
        });
        rootPassword().ifPresent(password -> command.add("--user=root:" + password));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        String shown = "etcdctl " + String.join(" ", args) + " (endpoints " + endpoints + ")";
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EtcdTestingException("`" + shown + "` did not finish in " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new EtcdTestingException("`" + shown + "` failed with exit code " + process.exitValue() + ": "
                        + text.trim());
            }
            return text;
        } catch (IOException e) {
            throw new EtcdTestingException("Cannot run `" + shown + "`: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdTestingException("Interrupted while running `" + shown + "`", e);
        }
    }

    private Optional<String> rootPassword() {
        try {
            return Optional.of(cluster.rootPassword());
        } catch (IllegalStateException e) {
            return Optional.empty(); // no auth on this cluster
        }
    }
}
