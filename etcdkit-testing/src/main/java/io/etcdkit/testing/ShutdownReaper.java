package io.etcdkit.testing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A JVM shutdown hook that kills the members of every cluster that was started and not yet closed, and
 * deletes their directories, so a test run that ends abruptly leaves no etcd behind. Thread-safe.
 *
 * <p>It cannot help if the JVM itself is killed with SIGKILL.
 */
final class ShutdownReaper {

    private static final Set<EtcdCluster> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownReaper::reapAll, "etcdkit-shutdown-reaper"));
    }

    private ShutdownReaper() {
    }

    /** Tracks a cluster until {@link #unregister(EtcdCluster)}. */
    static void register(EtcdCluster cluster) {
        LIVE.add(cluster);
    }

    /** Stops tracking a closed cluster. */
    static void unregister(EtcdCluster cluster) {
        LIVE.remove(cluster);
    }

    private static void reapAll() {
        for (EtcdCluster cluster : LIVE) {
            try {
                cluster.reap();
            } catch (RuntimeException e) {
                // the JVM is exiting; keep reaping the others
            }
        }
    }
}
