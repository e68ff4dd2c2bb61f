package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.kv.Range;
import io.etcdkit.recipes.publish.Entry;
import io.etcdkit.recipes.publish.LeasedPublisher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.SubmissionPublisher;

/**
 * A stream of status entries published into etcd under a kept-alive lease: the keys live while the publisher is
 * open and vanish at once when it closes; the same stream published without a lease persists. Uses the prefixes
 * {@code examples/status/} and {@code examples/history/}.
 */
public final class LeasedPublisherExample {
    static final String LEASED = "examples/status/";
    static final String PLAIN = "examples/history/";

    private LeasedPublisherExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(LEASED);
            client.kv().deletePrefix(PLAIN);

            try (LeasedPublisher<String> status = LeasedPublisher.builder(client, Codecs.text())
                    .lease(Duration.ofSeconds(10))
                    .open()) {
                publish(status, LEASED);
                out.println("leased: " + client.kv().count(Range.prefix(LEASED)) + " keys while open, "
                        + status.published() + " puts, state " + status.state());
            }
            out.println("leased: " + client.kv().count(Range.prefix(LEASED)) + " keys after close");

            try (LeasedPublisher<String> history = LeasedPublisher.builder(client, Codecs.text())
                    .withoutLease()
                    .open()) {
                publish(history, PLAIN);
            }
            out.println("without a lease: " + client.kv().count(Range.prefix(PLAIN)) + " keys after close, "
                    + "worker-1 = " + client.kv().get(PLAIN + "worker-1").orElseThrow().valueAsString());
            client.kv().deletePrefix(PLAIN);
        }
    }

    /** Publishes three workers' loads, worker-1 twice (the later value wins: puts of one key keep their order). */
    private static void publish(LeasedPublisher<String> target, String prefix) {
        try (SubmissionPublisher<Entry<String>> stream = new SubmissionPublisher<>()) {
            stream.subscribe(target);
            stream.submit(Entry.of(prefix + "worker-1", "0.10"));
            stream.submit(Entry.of(prefix + "worker-2", "0.55"));
            stream.submit(Entry.of(prefix + "worker-3", "0.20"));
            stream.submit(Entry.of(prefix + "worker-1", "0.42"));
        }
        target.completion().join();
    }
}
