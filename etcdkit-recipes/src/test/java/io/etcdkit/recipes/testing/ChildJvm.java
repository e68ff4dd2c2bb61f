package io.etcdkit.recipes.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A child JVM running a test class's {@code main} on this JVM's class path, for tests that must kill or signal a
 * real process. Its output (stdout and stderr) is collected on a daemon thread; {@link #ready()} completes with the
 * first line starting with {@code READY} (or fails when the output ends first).
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> ready = new CompletableFuture<>();

    private ChildJvm(Process process) {
        this.process = process;
        Thread reader = new Thread(this::read, "child-jvm-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code main} with {@code args} in a new JVM of 128 MB heap. */
    public static ChildJvm start(Class<?> main, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", classPath(main), main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectErrorStream(true);
        return new ChildJvm(pb.start());
    }

    /**
     * The class path of a child: this test JVM may run the library on the module path ({@code jdk.module.path}),
     * its test dependencies on the class path, and the test classes patched into the module, so all three are
     * joined.
     *
     * @param main a class of the tests, whose location is added
     * @return the class path for a child JVM
     */
    public static String classPath(Class<?> main) {
        List<String> parts = new ArrayList<>();
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property, "");
            if (!value.isBlank()) {
                parts.add(value);
            }
        }
        try {
            parts.add(Path.of(main.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return String.join(java.io.File.pathSeparator, parts);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                output.add(line);
                if (line.startsWith("READY")) {
                    ready.complete(line);
                }
            }
            ready.completeExceptionally(new IllegalStateException("the child exited before READY: " + output));
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
    }

    /** The READY line, once printed. */
    public CompletableFuture<String> ready() {
        return ready;
    }

    /** Everything printed so far. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** The process, to signal and wait for. */
    public Process process() {
        return process;
    }

    /** Kills the process (SIGKILL) if it still runs. */
    @Override
    public void close() {
        process.destroyForcibly();
    }
}
