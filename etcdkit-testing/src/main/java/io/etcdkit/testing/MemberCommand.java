package io.etcdkit.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the command line of one etcd 3.4 member. Stateless and thread-safe.
 *
 * <p>Client URLs are http or https; peer URLs are always plain http. The harness's own flags come first and
 * {@link ClusterSettings#extraArgs()} last, so etcd sees the extra value of a repeated flag last.
 */
final class MemberCommand {

    private MemberCommand() {
    }

    /**
     * @param initialCluster the {@code --initial-cluster} value, e.g. {@code m0=http://127.0.0.1:2380,...}
     * @param clusterToken   the {@code --initial-cluster-token}, unique per cluster start attempt
     */
    static List<String> build(Path binary, ClusterSettings settings, String name, String clientUrl, String peerUrl,
                              Path dataDir, String initialCluster, String clusterToken, Optional<TlsFiles> tls) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.add("--name=" + name);
        command.add("--data-dir=" + dataDir);
        command.add("--listen-client-urls=" + clientUrl);
        command.add("--advertise-client-urls=" + clientUrl);
        command.add("--listen-peer-urls=" + peerUrl);
        command.add("--initial-advertise-peer-urls=" + peerUrl);
        command.add("--initial-cluster=" + initialCluster);
        command.add("--initial-cluster-state=new");
        command.add("--initial-cluster-token=" + clusterToken);
        command.add("--election-timeout=" + settings.electionTimeout().toMillis());
        command.add("--heartbeat-interval=" + settings.heartbeatInterval().toMillis());
        command.add("--logger=zap");
        command.add("--log-outputs=stderr");
        tls.ifPresent(files -> {
            command.add("--cert-file=" + files.serverCert());
            command.add("--key-file=" + files.serverKey());
            if (settings.clientCertAuth()) {
                // etcd 3.4 requires client certificates whenever --trusted-ca-file is set, with or without
                // --client-cert-auth; so the CA is passed only when client certificates are wanted.
                command.add("--client-cert-auth");
                command.add("--trusted-ca-file=" + files.caCert());
            }
        });
        command.addAll(settings.extraArgs());
        return List.copyOf(command);
    }
}
