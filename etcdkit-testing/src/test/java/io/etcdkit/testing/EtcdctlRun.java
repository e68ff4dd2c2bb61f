package io.etcdkit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Runs etcdctl (v3 API) for interop checks; tests using it are skipped when etcdctl is not installed. */
record EtcdctlRun(int exitCode, String output) {

    static EtcdctlRun run(List<String> args) throws IOException, InterruptedException {
        Path etcdctl = locate();
        List<String> command = new ArrayList<>();
        command.add(etcdctl.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("ETCDCTL_API", "3");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("etcdctl did not finish: " + command);
        }
        return new EtcdctlRun(process.exitValue(), new String(output, StandardCharsets.UTF_8));
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
