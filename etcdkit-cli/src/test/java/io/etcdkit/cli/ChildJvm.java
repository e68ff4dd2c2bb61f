package io.etcdkit.cli;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code io.etcdkit.cli.Main} in another JVM on the test classpath, as a real {@code etcdkit} process. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** The command line of {@code etcdkit args...} in a new, lean JVM. */
    static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xmx256m", "-cp", classpath(), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A shell script {@code dir/etcdkit} that runs {@code etcdkit "$@"} as a child JVM (exec, no shell left). */
    static Path launcher(Path dir) {
        Path script = dir.resolve("etcdkit");
        String text = "#!/bin/sh\nexec '" + java() + "' -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -cp '"
                + classpath() + "' " + Main.class.getName() + " \"$@\"\n";
        try {
            Files.writeString(script, text);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return script;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    /** Whether {@code program} is on the PATH. */
    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
