package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.KeyValue;
import io.etcdkit.cluster.MemberStatus;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Connecting over TLS, with a client certificate when the cluster requires one (mutual TLS).
 *
 * <pre>
 * java -cp examples/target/etcdkit-examples.jar io.etcdkit.examples.TlsExample \
 *     https://127.0.0.1:2379 ca.pem [client.pem client-key.pem]
 * </pre>
 *
 * The certificate authority verifies the members; the client certificate and its PKCS#8 key (both PEM) are only
 * needed when etcd runs with {@code --client-cert-auth}. Uses the key {@code examples/tls/hello}.
 */
public final class TlsExample {
    private TlsExample() {
    }

    /** Runs the example: {@code ENDPOINTS CA_PEM [CLIENT_CERT_PEM CLIENT_KEY_PEM]}. */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) {
        if (args.length != 2 && args.length != 4) {
            throw new IllegalArgumentException("usage: TlsExample https://HOST:PORT CA_PEM [CLIENT_CERT_PEM "
                    + "CLIENT_KEY_PEM]");
        }
        EtcdClientBuilder builder = EtcdClient.builder()
                .endpoints(args[0])
                .trustedCertificates(Path.of(args[1]));
        if (args.length == 4) {
            builder.clientCertificate(Path.of(args[2]), Path.of(args[3]));
        }
        try (EtcdClient client = builder.build()) {
            for (MemberStatus status : client.maintenance().status()) {
                out.println("member " + status.memberIdHex() + " runs etcd " + status.version()
                        + (status.isLeader() ? " (leader)" : ""));
            }
            client.kv().put("examples/tls/hello", "over TLS");
            out.println("read back: " + client.kv().get("examples/tls/hello").map(KeyValue::valueAsString)
                    .orElse("(absent)"));
            client.kv().delete("examples/tls/hello");
        }
    }
}
