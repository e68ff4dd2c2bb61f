package io.etcdkit.spring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real etcdctl binary (v3 API) against a test member. */
final class Etcdctl {
    private final String endpoints;

    Etcdctl(String endpoints) {
        this.endpoints = endpoints;
    }

    void put(String key, String value) {
        run("put", key, value);
    }

    void del(String key) {
        run("del", key);
    }

    String run(String... args) {
        List<String> command = new ArrayList<>();
        command.add(locate().toString());
        command.add("--endpoints=" + endpoints);
        command.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("ETCDCTL_API", "3");
            Process process = builder.start();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("etcdctl did not finish: " + command);
            }
            String text = new String(output, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new IllegalStateException("etcdctl failed (" + process.exitValue() + "): " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("could not run etcdctl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path locate() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "etcdctl");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        Assumptions.abort("etcdctl is not installed (apt-get install -y etcd-client)");
        throw new AssertionError("unreachable");
    }
}
