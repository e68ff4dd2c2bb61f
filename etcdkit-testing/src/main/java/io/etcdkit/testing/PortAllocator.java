package io.etcdkit.testing;

/**
 * Hands out TCP port numbers on 127.0.0.1 for etcd's client and peer listeners.
 *
 * <p>A port is only free at the moment it is handed out; another process may take it before etcd binds
 * it, which the cluster start detects and retries. Implementations must be thread-safe.
 */
@FunctionalInterface
interface PortAllocator {

    /**
     * Returns {@code count} distinct port numbers that were free on 127.0.0.1 when checked.
     *
     * @throws java.io.UncheckedIOException if the operating system refuses to open a socket
     */
    int[] allocate(int count);
}
