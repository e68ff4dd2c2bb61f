package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.workqueue.Claim;
import io.etcdkit.recipes.workqueue.DeadLetter;
import io.etcdkit.recipes.workqueue.NewItem;
import io.etcdkit.recipes.workqueue.WorkConsumer;
import io.etcdkit.recipes.workqueue.WorkQueue;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A work queue with leased claims and dead letters: a producer adds three e-mails (one twice, with the same dedup
 * key), a consumer sends them, and the one it cannot send fails twice and ends in the dead letters. A consumer
 * whose session dies loses its claim: the item comes back, and its late ack is refused.
 */
public final class WorkQueueExample {
    static final String QUEUE = "examples-emails";

    private WorkQueueExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix("etcdkit/workqueue/" + QUEUE + "/"); // a fresh start for the example
            try (WorkQueue queue = WorkQueue.of(client, QUEUE).maxAttempts(2)) {
                queue.add(NewItem.of("to: ada@example.com").dedupKey("welcome-ada"));
                boolean duplicate = queue.add(NewItem.of("to: ada@example.com").dedupKey("welcome-ada")).duplicate();
                out.println("second welcome for ada is a duplicate: " + duplicate);
                queue.add(NewItem.of("to: nobody@invalid"));

                try (Session session = Session.open(client, Duration.ofSeconds(10));
                        WorkConsumer consumer = queue.openConsumer(session)) {
                    Optional<Claim> next;
                    while ((next = consumer.claim(Duration.ofMillis(500))).isPresent()) {
                        Claim claim = next.get();
                        if (claim.payloadAsString().endsWith("@invalid")) {
                            consumer.nack(claim, "550 no such domain"); // back to the queue, attempt count + 1
                        } else {
                            out.println("sent " + claim.payloadAsString() + ", acked: " + consumer.ack(claim));
                        }
                    }
                }
                for (DeadLetter dead : queue.deadLetters(0)) {
                    out.println("dead letter after " + dead.attempts() + " attempts: " + dead.payload().toStringUtf8()
                            + " (" + dead.lastError() + ")");
                }

                queue.add(NewItem.of("to: grace@example.com"));
                Session doomed = Session.open(client, Duration.ofSeconds(10));
                Claim lost = queue.openConsumer(doomed).claim(Duration.ofSeconds(5)).orElseThrow();
                client.leases().revoke(doomed.leaseId()); // as if the consumer's process had died
                try (Session session = Session.open(client, Duration.ofSeconds(10));
                        WorkConsumer consumer = queue.openConsumer(session)) {
                    Claim again = consumer.claim(Duration.ofSeconds(10)).orElseThrow();
                    out.println("redelivered after the claim expired, attempt " + (again.previousAttempts() + 1));
                    out.println("late ack by the dead consumer accepted: " + queue.openConsumer(doomed).ack(lost));
                    out.println("ack by the new holder accepted: " + consumer.ack(again));
                }
                out.println("items left: " + queue.stats().items());
            }
            client.kv().deletePrefix("etcdkit/workqueue/" + QUEUE + "/");
        }
    }
}
