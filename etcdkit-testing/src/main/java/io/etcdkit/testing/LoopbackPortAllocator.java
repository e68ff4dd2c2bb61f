package io.etcdkit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Asks the operating system for ephemeral ports by binding 127.0.0.1:0, holding all sockets of one request
 * open together so the ports are distinct, then releasing them for etcd.
 *
 * <p>It also remembers the ports it handed out recently in this JVM and never hands one out twice within
 * that window, so clusters started in parallel in one JVM do not collide. Thread-safe.
 */
final class LoopbackPortAllocator implements PortAllocator {

    /** The process-wide allocator. */
    static final LoopbackPortAllocator INSTANCE = new LoopbackPortAllocator();

    private static final int REMEMBERED = 4096;

    private final Set<Integer> recent = new LinkedHashSet<>();

    private LoopbackPortAllocator() {
    }

    @Override
    public synchronized int[] allocate(int count) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[count];
            int found = 0;
            int attempts = 0;
            while (found < count) {
                if (++attempts > count * 50) {
                    throw new UncheckedIOException(new IOException("Cannot find " + count + " free loopback ports"));
                }
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                held.add(socket);
                int port = socket.getLocalPort();
                if (recent.add(port)) {
                    ports[found++] = port;
                }
            }
            while (recent.size() > REMEMBERED) {
                Integer oldest = recent.iterator().next();
                recent.remove(oldest);
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a socket on 127.0.0.1 to find a free port", e);
        } finally {
            for (ServerSocket socket : held) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a listening socket that never accepted cannot meaningfully fail
                }
            }
        }
    }
}
