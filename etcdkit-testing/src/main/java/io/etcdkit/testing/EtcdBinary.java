package io.etcdkit.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the {@code etcd} executable: an explicit path from the builder, else the {@code etcd.bin} system
 * property, else the {@code ETCD_BIN} environment variable, else {@code etcd} on the {@code PATH}.
 *
 * <p>An explicitly named binary that does not exist is an error; it never silently falls back to the
 * {@code PATH}. Stateless and thread-safe.
 */
final class EtcdBinary {

    static final String ENV_VAR = "ETCD_BIN";
    static final String SYSTEM_PROPERTY = "etcd.bin";

    private EtcdBinary() {
    }

    /**
     * Locates etcd using the real environment and system properties.
     *
     * @param explicit a path given to the builder, or empty
     * @return an existing, executable file
     * @throws EtcdBinaryNotFoundException if no usable binary is found
     */
    static Path locate(Optional<Path> explicit) {
        return locate(explicit, System.getProperty(SYSTEM_PROPERTY), System.getenv());
    }

    /**
     * Locates etcd from the given sources (visible for tests).
     *
     * @param explicit       a path given to the builder, or empty
     * @param systemProperty value of {@code etcd.bin}, or {@code null}
     * @param env            the environment ({@code ETCD_BIN}, {@code PATH})
     * @return an existing, executable file
     * @throws EtcdBinaryNotFoundException if no usable binary is found
     */
    static Path locate(Optional<Path> explicit, String systemProperty, Map<String, String> env) {
        if (explicit.isPresent()) {
            return requireExecutable(explicit.get(), "the etcd binary given to the builder");
        }
        if (systemProperty != null && !systemProperty.isBlank()) {
            return requireExecutable(Path.of(systemProperty), "system property " + SYSTEM_PROPERTY);
        }
        String fromEnv = env.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return requireExecutable(Path.of(fromEnv), "environment variable " + ENV_VAR);
        }
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, "etcd");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new EtcdBinaryNotFoundException("No etcd executable found: " + ENV_VAR + " and -D" + SYSTEM_PROPERTY
                + " are not set and `etcd` is not on the PATH (" + path + ")");
    }

    private static Path requireExecutable(Path candidate, String source) {
        if (!Files.isRegularFile(candidate)) {
            throw new EtcdBinaryNotFoundException(
                    "The etcd binary named by " + source + " (" + candidate + ") does not exist");
        }
        if (!Files.isExecutable(candidate)) {
            throw new EtcdBinaryNotFoundException(
                    "The etcd binary named by " + source + " (" + candidate + ") is not executable");
        }
        return candidate;
    }
}
