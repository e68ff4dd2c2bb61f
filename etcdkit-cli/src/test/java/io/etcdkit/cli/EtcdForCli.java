package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real etcd member for a CLI test class, a client to check what the CLI did, and the CLI pointed at the member
 * ({@code --endpoints} is put first, so it also works for {@code lock NAME -- COMMAND}).
 */
final class EtcdForCli implements BeforeAllCallback, AfterAllCallback {
    private final EtcdClusterExtension etcd = EtcdClusterExtension.singleMember();
    private EtcdClient client;

    static EtcdForCli singleMember() {
        return new EtcdForCli();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        etcd.beforeAll(context);
        client = EtcdClient.builder().endpoints(etcd.clientEndpointsString()).build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            client.close();
        } finally {
            etcd.afterAll(context);
        }
    }

    /** A client of the member, for checking what commands did. */
    EtcdClient client() {
        return client;
    }

    String endpoints() {
        return etcd.clientEndpointsString();
    }

    EtcdCluster cluster() {
        return etcd.cluster();
    }

    /** {@code --endpoints URL args...}. */
    String[] args(String... args) {
        List<String> all = new ArrayList<>(List.of("--endpoints", endpoints()));
        all.addAll(List.of(args));
        return all.toArray(String[]::new);
    }

    /** Runs {@code etcdkit --endpoints URL args...}. */
    Cli.Result run(String... args) {
        return Cli.run(args(args));
    }

    /** Runs {@code etcdkit --endpoints URL args...} with {@code stdin}. */
    Cli.Result runWithStdin(String stdin, String... args) {
        return Cli.runWithStdin(stdin, args(args));
    }

    /** Starts {@code etcdkit --endpoints URL args...} on its own thread. */
    Cli.Background start(String... args) {
        return Cli.start(args(args));
    }
}
