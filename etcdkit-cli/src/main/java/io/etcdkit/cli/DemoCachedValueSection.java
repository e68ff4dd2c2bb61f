package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.recipes.cache.CachedValue;
import io.etcdkit.recipes.cache.ValueListener;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The demo's "Cached values" section: a watch-fed configuration value with a default, that a malformed write
 * cannot break.
 */
final class DemoCachedValueSection {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final EtcdClient client;
    private final PrintWriter out;

    DemoCachedValueSection(EtcdClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    void run() {
        CountDownLatch malformedSeen = new CountDownLatch(1);
        try (CachedValue<Long> limit = CachedValue.open(client, "config/rate-limit", Codecs.longs(), 100L)) {
            limit.addListener(new ValueListener<>() {
                @Override
                public void onChange(Long value, long revision) {
                }

                @Override
                public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
                    malformedSeen.countDown();
                }
            });
            ready(limit.awaitReady(WAIT));
            out.println("config/rate-limit is missing -> get() = " + limit.get() + " (the default)");
            long rev = client.kv().put("config/rate-limit", "250").revision();
            ready(limit.awaitRevision(rev, WAIT));
            out.println("put config/rate-limit=250 -> get() = " + limit.get() + " at revision " + limit.revision()
                    + " (lock-free read, fed by a watch)");
            rev = client.kv().put("config/rate-limit", "lots").revision();
            ready(limit.awaitRevision(rev, WAIT));
            DemoTour.await(malformedSeen);
            out.println("put config/rate-limit=lots (malformed) -> decode failure reported, get() = " + limit.get()
                    + " (readers never see an exception)");
            rev = client.kv().delete("config/rate-limit").revision();
            ready(limit.awaitRevision(rev, WAIT));
            out.println("delete config/rate-limit -> get() = " + limit.get() + " (back to the default)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void ready(boolean reached) {
        if (!reached) {
            throw new IllegalStateException("the demo's cached value did not see its own write within " + WAIT);
        }
    }
}
