package io.etcdkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The folder {@code etcdkit up} keeps a local cluster in, so that it keeps its data across runs:
 * <pre>
 * DIR/cluster.json      members, ports and cluster token, chosen on the first run and reused after
 * DIR/up.lock           held while an 'etcdkit up' uses the folder
 * DIR/m0/data/          member m0's etcd data directory
 * DIR/m0/etcd.log       its log (appended to)
 * DIR/m0/etcd.pid       its process id while it runs (to stop a leftover after a crash)
 * </pre>
 * Closing releases the lock; the data stays.
 */
final class ClusterFolder implements AutoCloseable {
    static final String LAYOUT_FILE = "cluster.json";
    /** The client port of member 0 when none is asked for; member i uses it plus 10000 * i. */
    static final int DEFAULT_CLIENT_PORT = 2379;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** One member's place: its name and ports on 127.0.0.1. */
    record MemberLayout(String name, int clientPort, int peerPort) {
        String clientUrl() {
            return "http://127.0.0.1:" + clientPort;
        }

        String peerUrl() {
            return "http://127.0.0.1:" + peerPort;
        }
    }

    /** What {@code cluster.json} records. */
    record Layout(String token, List<MemberLayout> members) {
    }

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Layout layout;
    private final boolean created;

    private ClusterFolder(Path dir, FileChannel lockChannel, FileLock lock, Layout layout, boolean created) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.layout = layout;
        this.created = created;
    }

    /**
     * Opens {@code dir} for a cluster of {@code members}, creating it (with ports from {@code clientPort}: null
     * for 2379 and up when free, else any free ports; 0 for any free ports; N for N and up) or reusing what it
     * records. {@code fresh} deletes the members' data first.
     */
    static ClusterFolder open(Path dir, int members, Integer clientPort, boolean fresh) {
        if (members < 1 || members > 9) {
            throw CliException.usage("--members must be between 1 and 9, got " + members);
        }
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve("up.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new CliException(ExitCode.FAILURE, "another 'etcdkit up' is running in " + dir
                        + "; stop it (Ctrl-C in its terminal) or use another --dir");
            }
            try {
                Path layoutFile = dir.resolve(LAYOUT_FILE);
                if (fresh) {
                    clear(dir);
                }
                if (Files.exists(layoutFile)) {
                    Layout layout = JSON.readValue(layoutFile.toFile(), Layout.class);
                    if (layout.members().size() != members) {
                        throw CliException.usage(dir + " holds a cluster of " + layout.members().size()
                                + " members; run with --members " + layout.members().size() + ", or add --fresh to "
                                + "replace it with a new, empty cluster of " + members);
                    }
                    return new ClusterFolder(dir, channel, lock, layout, false);
                }
                Layout layout = new Layout("etcdkit-" + UUID.randomUUID(), choosePorts(members, clientPort));
                JSON.writerWithDefaultPrettyPrinter().writeValue(layoutFile.toFile(), layout);
                return new ClusterFolder(dir, channel, lock, layout, true);
            } catch (RuntimeException | IOException e) {
                lock.release();
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use " + dir + " for the cluster: " + e.getMessage(), e);
        }
    }

    /** The lock, or null when another process (or this one) holds it. */
    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    Path dir() {
        return dir;
    }

    Layout layout() {
        return layout;
    }

    /** Whether this run created the cluster (rather than restarting one with its data). */
    boolean created() {
        return created;
    }

    Path memberDir(MemberLayout member) {
        return dir.resolve(member.name());
    }

    @Override
    public void close() {
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }

    private static List<MemberLayout> choosePorts(int members, Integer clientPort) {
        if (clientPort == null || clientPort > 0) {
            int base = clientPort == null ? DEFAULT_CLIENT_PORT : clientPort;
            List<MemberLayout> fixed = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                int client = base + 10000 * i;
                if (client + 1 > 65535 || !isFree(client) || !isFree(client + 1)) {
                    if (clientPort != null) {
                        throw new CliException(ExitCode.FAILURE, "port " + client + " or " + (client + 1) + " (member m"
                                + i + ") is not free; choose another --client-port, or 0 for any free ports");
                    }
                    return freePorts(members);
                }
                fixed.add(new MemberLayout("m" + i, client, client + 1));
            }
            return fixed;
        }
        return freePorts(members);
    }

    private static List<MemberLayout> freePorts(int members) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * members; i++) {
                held.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
            }
            List<MemberLayout> layout = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                layout.add(new MemberLayout("m" + i, held.get(2 * i).getLocalPort(),
                        held.get(2 * i + 1).getLocalPort()));
            }
            return layout;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // a socket that never accepted closes cleanly
                }
            }
        }
    }

    /** Whether {@code port} on 127.0.0.1 can be bound now. */
    static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.filter(p -> !p.getFileName().toString().equals("up.lock")).toList()) {
                try (Stream<Path> walk = Files.walk(p)) {
                    for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(q);
                    }
                }
            }
        }
    }
}
