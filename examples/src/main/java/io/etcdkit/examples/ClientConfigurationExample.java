package io.etcdkit.examples;

import io.etcdkit.DeadlineExceededException;
import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Building a client with explicit timeouts, deriving views with another deadline or a namespace (they share the
 * connections), and the three failures a caller must tell apart. Uses the key {@code examples/client/greeting}.
 */
public final class ClientConfigurationExample {
    private ClientConfigurationExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) {
        try (EtcdClient client = EtcdClient.builder()
                .endpoints(ExampleClient.endpoints(args))  // one or more members, comma-separated
                .connectTimeout(Duration.ofSeconds(5))      // how long to try to connect before "unavailable"
                .deadline(Duration.ofSeconds(10))           // per call, retries included
                .attemptTimeout(Duration.ofSeconds(3))      // per attempt, when another member could be tried
                .build()) {
            EtcdClient quick = client.withDeadline(Duration.ofSeconds(2));   // same connections, shorter deadline
            EtcdClient app = client.withNamespace("examples/client/");       // same connections, keys under a prefix
            out.println("endpoints: " + client.endpoints().size() + ", deadline " + client.deadline().toSeconds()
                    + " s, quick view " + quick.deadline().toSeconds() + " s, namespace '" + app.namespace() + "'");

            out.println("put: " + put(app, "greeting", "hello"));
            Optional<KeyValue> stored = client.kv().get("examples/client/greeting");
            out.println("seen through the root client: " + stored.map(KeyValue::valueAsString).orElse("(absent)"));
            app.kv().delete("greeting");
        }
    }

    /** A write and the failures that need different handling. */
    static String put(EtcdClient client, String key, String value) {
        try {
            return "applied at revision " + client.kv().put(key, value).revision();
        } catch (OutcomeUnknownException e) {
            return "sent, but the answer was lost: read the key before writing again";
        } catch (DeadlineExceededException | EtcdUnavailableException e) {
            return "not applied (no member reached in time): safe to retry later";
        }
    }
}
