package io.etcdkit.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Go client program ({@code src/main/go/etcdkit-go-bench/main.go}, shipped inside the bench jar), built with
 * Debian's Go and etcd sources offline ({@code GO111MODULE=off}, {@code GOPATH=<dir>:/usr/share/gocode}) once and
 * cached next to the jar ({@code target/go-bench/}) under the hash of its source, so it is rebuilt only when the
 * source changes. {@link #locate()} says why it cannot be had (no Go, no etcd sources, a failed build) instead of
 * throwing: the bench then skips the Go client with that note.
 */
final class GoProgram {
    /** Where Debian's golang-etcd-server-dev puts etcd's Go sources. */
    static final Path GOCODE = Path.of("/usr/share/gocode");
    private static final String SOURCE = "go/etcdkit-go-bench/main.go";
    private static final String INSTALL_HINT = "install Go and etcd's sources: apt-get install -y golang-go "
            + "golang-etcd-server-dev";

    private GoProgram() {
    }

    /** The built program, or why there is none. */
    record Located(Path binary, String whyNot) {
    }

    /** Builds the program if needed; returns its path, or the reason there is none. */
    static Located locate() {
        Optional<Path> go = onPath("go");
        if (go.isEmpty()) {
            return new Located(null, "no 'go' on the PATH; " + INSTALL_HINT);
        }
        if (!Files.isDirectory(GOCODE.resolve("src/go.etcd.io/etcd/clientv3"))) {
            return new Located(null, "no etcd client sources under " + GOCODE + "; " + INSTALL_HINT);
        }
        byte[] source;
        try (InputStream in = GoProgram.class.getClassLoader().getResourceAsStream(SOURCE)) {
            if (in == null) {
                return new Located(null, SOURCE + " is not in the bench jar (build it with mvn package)");
            }
            source = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path dir = cacheDir();
        Path binary = dir.resolve("etcdkit-go-bench-" + hash(source));
        if (Files.isExecutable(binary)) {
            return new Located(binary, null);
        }
        try {
            Path gopath = dir.resolve("gopath");
            Path src = gopath.resolve("src/etcdkit-go-bench");
            Files.createDirectories(src);
            Files.write(src.resolve("main.go"), source);
            String gocache = System.getenv().getOrDefault("GOCACHE", dir.resolve("gocache").toString());
            Path log = dir.resolve("build.log");
            ProcessBuilder pb = new ProcessBuilder(go.get().toString(), "build", "-o", binary.toString(), ".")
                    .directory(src.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("GO111MODULE", "off");
            env.put("GOPATH", gopath + ":" + GOCODE);
            env.put("GOCACHE", gocache);
            System.err.println("building the Go client program (go.etcd.io/etcd/clientv3; about 35 s the first "
                    + "time) into " + binary + " ...");
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                return new Located(null, "building the Go program took over 10 minutes; see " + log);
            }
            if (p.exitValue() != 0 || !Files.isExecutable(binary)) {
                return new Located(null, "building the Go program failed (exit " + p.exitValue() + "): "
                        + Files.readString(log).strip());
            }
            return new Located(binary, null);
        } catch (IOException e) {
            return new Located(null, "building the Go program failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Located(null, "interrupted while building the Go program");
        }
    }

    /** {@code target/go-bench} next to the bench jar (or classes), else under {@code java.io.tmpdir}. */
    private static Path cacheDir() {
        try {
            Path code = Path.of(GoProgram.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = code.getParent();
            if (target != null && target.getFileName() != null && target.getFileName().toString().equals("target")) {
                return target.resolve("go-bench");
            }
            if (code.getFileName() != null && code.getFileName().toString().equals("classes")) {
                return target.resolve("go-bench");
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "etcdkit-go-bench");
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String hash(byte[] source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(source), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
