package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.recipes.cache.CacheOptions;
import io.etcdkit.recipes.cache.CachedValue;
import io.etcdkit.recipes.cache.DecodeFailurePolicy;
import io.etcdkit.recipes.cache.ValueListener;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A watch-fed configuration value: one key decoded from JSON into a record, held in memory, with a default for a
 * missing key, the last good value kept when someone stores malformed JSON, and back to the default on delete.
 * Uses the key {@code examples/config/app}.
 */
public final class ConfigValueExample {
    static final String KEY = "examples/config/app";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** The configuration as stored in etcd, as JSON. */
    public record AppConfig(String mode, int workers) {
    }

    private ConfigValueExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().delete(KEY);

            ValueCodec<AppConfig> json = JacksonCodecs.json(AppConfig.class);
            AppConfig defaults = new AppConfig("safe", 1);
            CacheOptions options = CacheOptions.defaults().onDecodeFailure(DecodeFailurePolicy.KEEP_LAST_GOOD);
            ValueListener<AppConfig> listener = new ValueListener<>() {
                @Override
                public void onChange(AppConfig value, long revision) { // once at start, then on each change
                    out.println("  listener: now " + value + (revision == 0 ? " (the default: no key)" : ""));
                }

                @Override
                public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
                    out.println("  listener: malformed value at " + raw.keyAsString() + " ignored ("
                            + error.codec() + ")");
                }
            };
            try (CachedValue<AppConfig> config = CachedValue.builder(client, KEY, json, defaults)
                    .options(options)
                    .listener(listener) // given to the builder: hears the initial value too
                    .open()) {
                if (!config.awaitReady(WAIT)) {
                    throw new IllegalStateException("the configuration was not loaded within " + WAIT);
                }
                out.println("missing key: " + config.get());

                long revision = client.kv().put(KEY, "{\"mode\":\"fast\",\"workers\":8}").revision();
                config.awaitRevision(revision, WAIT); // read your own write
                out.println("after a put: " + config.get());

                revision = client.kv().put(KEY, "{\"mode\": fast").revision();
                config.awaitRevision(revision, WAIT);
                out.println("after malformed JSON: " + config.get());

                revision = client.kv().delete(KEY).revision();
                config.awaitRevision(revision, WAIT);
                out.println("after a delete: " + config.get());
            }
        }
    }
}
