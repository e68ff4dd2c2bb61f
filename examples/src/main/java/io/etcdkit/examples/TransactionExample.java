package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.OutcomeUnknownException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import java.io.PrintStream;
import java.util.Optional;

/**
 * Transactions and the atomic helpers: put-if-absent, compare-and-set, an optimistic read-modify-write loop on
 * the mod revision, a two-key transfer that is all or nothing, what to do when a write's outcome is unknown,
 * and a namespaced view. Uses the prefix {@code examples/txn/}.
 */
public final class TransactionExample {
    static final String PREFIX = "examples/txn/";

    private TransactionExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) {
        try (EtcdClient root = ExampleClient.connect(args)) {
            root.kv().deletePrefix(PREFIX);
            // Every key of this view is under examples/txn/; keys it returns are relative.
            EtcdClient client = root.withNamespace(PREFIX);

            out.println("first putIfAbsent: " + client.kv().putIfAbsent("owner", "alice"));
            out.println("second putIfAbsent: " + client.kv().putIfAbsent("owner", "bob"));
            out.println("compareAndSet alice->carol: " + client.kv().compareAndSet("owner", "alice", "carol"));
            out.println("compareAndSet alice->dave: " + client.kv().compareAndSet("owner", "alice", "dave"));
            out.println("stored at " + PREFIX + "owner: "
                    + root.kv().get(PREFIX + "owner").map(KeyValue::valueAsString).orElse("(absent)"));

            client.kv().put("counter", "7");
            out.println("counter after increment: " + increment(client, "counter"));

            client.kv().put("accounts/alice", "100");
            client.kv().put("accounts/bob", "20");
            out.println("transfer 30: " + transfer(client, 30));
            out.println("transfer 500: " + transfer(client, 500));
            out.println("balances: alice=" + value(client, "accounts/alice") + " bob=" + value(client, "accounts/bob"));

            out.println("create order-1: " + createOnce(client, "orders/order-1", "2 books"));
            out.println("create order-1 again: " + createOnce(client, "orders/order-1", "2 books"));
            root.kv().deletePrefix(PREFIX);
        }
    }

    /** Optimistic concurrency: read, compute, write only if the key's mod revision is unchanged; else retry. */
    static long increment(EtcdClient client, String key) {
        while (true) {
            KeyValue seen = client.kv().get(key).orElseThrow();
            long next = Long.parseLong(seen.valueAsString()) + 1;
            TxnResult r = client.kv().commit(Transaction
                    .when(Compare.modRevision(key).equalTo(seen.modRevision()))
                    .then(Put.of(key, Long.toString(next))));
            if (r.succeeded()) {
                return next;
            }
        }
    }

    /** Moves {@code amount} from alice to bob in one transaction, only if neither balance changed meanwhile. */
    static String transfer(EtcdClient client, long amount) {
        while (true) {
            TxnResult read = client.kv().commit(Transaction.always(Range.key("accounts/alice"),
                    Range.key("accounts/bob")));
            KeyValue alice = read.rangeResult(0).first().orElseThrow();
            KeyValue bob = read.rangeResult(1).first().orElseThrow();
            long from = Long.parseLong(alice.valueAsString());
            long to = Long.parseLong(bob.valueAsString());
            if (from < amount) {
                return "refused, alice has only " + from;
            }
            TxnResult r = client.kv().commit(Transaction
                    .when(Compare.modRevision("accounts/alice").equalTo(alice.modRevision()),
                            Compare.modRevision("accounts/bob").equalTo(bob.modRevision()))
                    .then(Put.of("accounts/alice", Long.toString(from - amount)),
                            Put.of("accounts/bob", Long.toString(to + amount))));
            if (r.succeeded()) {
                return "done at revision " + r.revision();
            }
        }
    }

    /**
     * Creates {@code key} with {@code value} at most once, even when etcd's answer is lost. A write whose outcome
     * is unknown is never retried by etcdkit; here it is safe to find out by reading, because the value is ours.
     */
    static String createOnce(EtcdClient client, String key, String value) {
        try {
            return client.kv().putIfAbsent(key, value) ? "created" : "already there";
        } catch (OutcomeUnknownException e) {
            // The put may or may not have been applied: read to learn which, then decide.
            Optional<KeyValue> now = client.kv().get(key);
            if (now.isPresent() && now.get().valueAsString().equals(value)) {
                return "created (or already there with the same value)";
            }
            return now.isPresent() ? "already there" : "not created; safe to try again";
        }
    }

    private static String value(EtcdClient client, String key) {
        return client.kv().get(key).map(KeyValue::valueAsString).orElse("(absent)");
    }
}
