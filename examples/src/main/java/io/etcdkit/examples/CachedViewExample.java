package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.cache.CacheSnapshot;
import io.etcdkit.recipes.cache.CachedEntry;
import io.etcdkit.recipes.cache.CachedView;
import java.io.PrintStream;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A local, watch-fed copy of a prefix of feature flags: lock-free reads from one consistent snapshot, a
 * compare-and-set write-through guarded by the key's mod revision, and reading one's own write with
 * {@code awaitRevision}. Uses the prefix {@code examples/flags/}.
 */
public final class CachedViewExample {
    static final String PREFIX = "examples/flags/";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private CachedViewExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(PREFIX);
            client.kv().put(PREFIX + "checkout", "on");
            client.kv().put(PREFIX + "search", "off");

            try (CachedView<String> flags = CachedView.open(client, PREFIX, Codecs.text())) {
                if (!flags.awaitReady(WAIT)) {
                    throw new IllegalStateException("the flags were not loaded within " + WAIT);
                }
                CacheSnapshot<String> snapshot = flags.snapshot(); // several reads, one revision
                out.println("flags: " + new TreeMap<>(snapshot.asMap()));

                // Optimistic write-through: only if nobody changed the flag since we read it.
                CachedEntry<String> search = flags.entry(PREFIX + "search").orElseThrow();
                OptionalLong written = flags.compareAndSet(search.key(), search.modRevision(), "on");
                out.println("first compare-and-set applied: " + written.isPresent());
                flags.awaitRevision(written.orElseThrow(), WAIT); // read your own write
                out.println("search is now: " + flags.get(PREFIX + "search").orElse("(absent)"));

                // The same stale revision again: someone (we) changed the flag meanwhile, so etcd refuses.
                OptionalLong stale = flags.compareAndSet(search.key(), search.modRevision(), "off");
                out.println("second compare-and-set with the stale revision applied: " + stale.isPresent());
                out.println("revision of the view >= our write: " + (flags.revision() >= written.getAsLong()));
            }
            client.kv().deletePrefix(PREFIX);
        }
    }
}
