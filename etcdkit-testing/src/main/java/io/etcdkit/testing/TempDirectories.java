package io.etcdkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Creates and deletes the harness's temporary directories. Stateless and thread-safe.
 */
final class TempDirectories {

    /** Prefix of every temporary directory the harness creates. */
    static final String PREFIX = "etcdkit-";

    private TempDirectories() {
    }

    /** Creates a fresh directory {@code etcdkit-<label>-...} in the system temp directory. */
    static Path create(String label) {
        try {
            return Files.createTempDirectory(PREFIX + label + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary directory for etcd", e);
        }
    }

    /**
     * Deletes {@code dir} and everything below it. A missing directory is fine.
     *
     * @return {@code true} if the directory no longer exists afterwards
     */
    static boolean deleteRecursively(Path dir) {
        if (dir == null) {
            return true;
        }
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(dir)) {
                paths = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            } catch (NoSuchFileException e) {
                return true;
            } catch (IOException | UncheckedIOException e) {
                continue;
            }
            for (Path p : paths) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // a file appeared or is still in use; the next attempt walks again
                }
            }
        }
        return !Files.exists(dir);
    }
}
