package io.etcdkit.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The validated, immutable options of one cluster, shared by {@link EtcdCluster.Builder} and
 * {@link EtcdClusterExtension.Builder}.
 *
 * @param members           number of members, at least 1
 * @param tls               whether client URLs use https (true whenever {@code clientCertAuth} is)
 * @param clientCertAuth    whether members require a client certificate signed by the run's CA
 * @param auth              whether to create user root and enable authentication after start
 * @param rootPassword      a fixed root password, or empty for a random one per cluster
 * @param electionTimeout   etcd {@code --election-timeout}
 * @param heartbeatInterval etcd {@code --heartbeat-interval}
 * @param extraArgs         flags appended to every member's command line
 * @param startTimeout      bound on {@link EtcdCluster#start()} and {@link EtcdMember#start()}
 * @param binary            an explicit etcd binary, or empty to look it up
 * @param ports             where loopback ports come from
 */
record ClusterSettings(int members, boolean tls, boolean clientCertAuth, boolean auth, Optional<String> rootPassword,
                       Duration electionTimeout, Duration heartbeatInterval, List<String> extraArgs,
                       Duration startTimeout, Optional<Path> binary, PortAllocator ports) {

    ClusterSettings {
        if (members < 1) {
            throw new IllegalArgumentException("members must be at least 1, got " + members);
        }
        requirePositive("electionTimeout", electionTimeout);
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("startTimeout", startTimeout);
        if (electionTimeout.toMillis() < 5 * heartbeatInterval.toMillis()) {
            throw new IllegalArgumentException("etcd requires electionTimeout (" + electionTimeout.toMillis()
                    + " ms) to be at least 5 times heartbeatInterval (" + heartbeatInterval.toMillis() + " ms)");
        }
        if (rootPassword.isPresent() && rootPassword.get().isEmpty()) {
            throw new IllegalArgumentException("rootPassword must not be empty");
        }
        for (String arg : extraArgs) {
            if (arg == null || arg.isBlank()) {
                throw new IllegalArgumentException("extraArgs must not contain null or blank arguments: " + extraArgs);
            }
        }
        extraArgs = List.copyOf(extraArgs);
        tls = tls || clientCertAuth;
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero() || value.toMillis() == 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms, got " + value);
        }
    }

    /** How many members must run for the cluster to have a quorum. */
    int quorum() {
        return members / 2 + 1;
    }
}
