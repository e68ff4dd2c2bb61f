package io.etcdkit.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Places each etcd member's process in its own cgroup (v2) group, so that packet-filter rules can tell the
 * member's own connections apart ({@code iptables -m cgroup --path}); the nemesis's partitions need it, because
 * members dial their peers from ephemeral ports that no port rule can attribute to a member.
 *
 * <p>A member is launched through {@code /bin/sh}, which writes its own pid into the group's {@code cgroup.procs}
 * and then {@code exec}s etcd, so the pid stays the same and every socket etcd opens belongs to the group. Groups
 * are named {@code etcdkit-nemesis/<jvm pid>-<client port>} under the cgroup v2 mount. Needs root and a writable
 * cgroup v2 hierarchy; elsewhere members launch as before. {@code -Detcdkit.testing.cgroups=false} turns it off.
 *
 * <p>Stateless and thread-safe.
 */
public final class ControlGroups {

    /** The directory under the cgroup v2 root that holds every group the harness creates. */
    static final String PARENT = "etcdkit-nemesis";

    private static final java.util.concurrent.atomic.AtomicBoolean STALE_REMOVED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private ControlGroups() {
    }

    /**
     * Why members cannot be placed in their own cgroup here, or empty when they can.
     *
     * @return the reason (what is missing and how to fix it), or empty
     */
    public static Optional<String> whyUnavailable() {
        if (!Boolean.parseBoolean(System.getProperty("etcdkit.testing.cgroups", "true"))) {
            return Optional.of("cgroup placement is turned off (-Detcdkit.testing.cgroups=false)");
        }
        Optional<Path> root = mountPoint();
        if (root.isEmpty()) {
            return Optional.of("no cgroup v2 hierarchy is mounted (see /proc/self/mountinfo); mount cgroup2 or run on "
                    + "a host with the unified hierarchy");
        }
        if (!Files.isWritable(root.get())) {
            return Optional.of("the cgroup v2 hierarchy at " + root.get() + " is not writable (run as root, in a "
                    + "privileged container)");
        }
        return Optional.empty();
    }

    /**
     * Removes the empty groups of JVMs that are no longer alive (left behind when a JVM was killed).
     *
     * @return how many groups were removed
     */
    public static int removeStale() {
        Optional<Path> root = mountPoint();
        if (root.isEmpty() || !Files.isDirectory(root.get().resolve(PARENT))) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(root.get().resolve(PARENT))) {
            for (Path group : groups) {
                String name = group.getFileName().toString();
                int dash = name.indexOf('-');
                long pid = dash > 0 ? parsePid(name.substring(0, dash)) : -1;
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (deleteGroup(group)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            return removed;
        }
        return removed;
    }

    /**
     * Creates the group of one member, or empty when groups are unavailable or the directory cannot be created.
     *
     * @param leaf the member's unique part of the name (its client port)
     * @return the group's path relative to the cgroup v2 root (as {@code iptables -m cgroup --path} takes it)
     */
    static Optional<String> create(String leaf) {
        if (whyUnavailable().isPresent()) {
            return Optional.empty();
        }
        if (STALE_REMOVED.compareAndSet(false, true)) {
            removeStale(); // groups of JVMs killed before they could remove theirs, once per JVM
        }
        String relative = PARENT + "/" + ProcessHandle.current().pid() + "-" + leaf;
        try {
            Files.createDirectories(mountPoint().orElseThrow().resolve(relative));
            return Optional.of(relative);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The command that joins {@code group} and then runs {@code command} with the same pid. Joining is best
     * effort: if it fails, the command still runs.
     */
    static List<String> wrap(List<String> command, String group) {
        Path procs = mountPoint().orElseThrow().resolve(group).resolve("cgroup.procs");
        List<String> wrapped = new ArrayList<>();
        wrapped.add("/bin/sh");
        wrapped.add("-c");
        wrapped.add("{ echo $$ > '" + procs + "'; } 2>/dev/null; exec \"$@\"");
        wrapped.add("etcd-in-cgroup");
        wrapped.addAll(command);
        return wrapped;
    }

    /** Removes a group once its processes have exited; never throws. */
    static void delete(String group) {
        mountPoint().ifPresent(root -> deleteGroup(root.resolve(group)));
    }

    /** The cgroup v2 mount point, read from {@code /proc/self/mountinfo}. */
    static Optional<Path> mountPoint() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                int separator = line.indexOf(" - ");
                if (separator < 0) {
                    continue;
                }
                String[] after = line.substring(separator + 3).split(" ");
                String[] before = line.substring(0, separator).split(" ");
                if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                    return Optional.of(Path.of(before[4]));
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean deleteGroup(Path group) {
        try {
            Files.deleteIfExists(group); // cgroupfs: rmdir of a group without processes (its files go with it)
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static long parsePid(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
