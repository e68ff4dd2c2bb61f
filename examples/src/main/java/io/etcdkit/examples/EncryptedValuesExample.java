package io.etcdkit.examples;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.DecryptionException;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.recipes.cache.CacheListener;
import io.etcdkit.recipes.cache.CacheOptions;
import io.etcdkit.recipes.cache.CachedView;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Client-side AES-256-GCM encryption of values: what is stored, why a ciphertext copied to another key is refused
 * (also by a {@link CachedView}), how to move one on purpose, and a key rotation from {@code k1} to {@code k2}. The
 * key comes from the environment variable {@code ETCD_VALUE_KEY} (base64 of 32 bytes, e.g. from
 * {@code openssl rand -base64 32}); without it a random key is generated for the run. Uses the prefix
 * {@code examples/secrets/}.
 */
public final class EncryptedValuesExample {
    static final String PREFIX = "examples/secrets/";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EncryptedValuesExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws InterruptedException {
        String base64 = System.getenv("ETCD_VALUE_KEY");
        EncryptionKey k1 = base64 == null ? EncryptionKey.generate() : EncryptionKey.fromBase64(base64);
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(PREFIX);

            KeyRing ring = KeyRing.of("k1", k1);
            EncryptedCodec<String> secrets = EncryptedCodec.of(ring, Codecs.text());
            Bytes password = Bytes.of(PREFIX + "db-password");
            client.kv().put(password, secrets.encode(password, "s3cret"));

            KeyValue stored = client.kv().get(password).orElseThrow();
            out.println("stored bytes contain the plaintext: " + stored.valueAsString().contains("s3cret"));
            out.println("stored value names key: " + secrets.keyIdOf(stored.value()));
            out.println("decrypted: " + secrets.decode(stored));

            // The etcd key name is authenticated with the value: a ciphertext copied elsewhere does not decrypt.
            Bytes token = Bytes.of(PREFIX + "api-token");
            client.kv().put(token, stored.value());
            try {
                secrets.decode(client.kv().get(token).orElseThrow());
                out.println("copied ciphertext accepted (this must not happen)");
            } catch (DecryptionException e) {
                out.println("copied ciphertext refused: " + e.getClass().getSimpleName());
            }
            // The recipes take the codec as it is, and report a value that does not decrypt like any malformed one.
            try (CachedView<String> view = CachedView.builder(client, PREFIX, secrets).listener(new CacheListener<>() {
                        @Override
                        public void onDecodeFailure(KeyValue raw, ValueDecodingException error) {
                            out.println("view skips " + raw.keyAsString() + ": " + error.getClass().getSimpleName());
                        }
                    }).open()) {
                if (!view.awaitReady(WAIT)) {
                    throw new IllegalStateException("the view was not loaded within " + WAIT);
                }
                out.println("view: " + view.asMap());
            }
            // Moving a value on purpose: re-encrypt it for the new name.
            client.kv().put(token, secrets.reencrypt(password, token, stored.value()));
            out.println("re-encrypted copy decrypts: " + secrets.decode(client.kv().get(token).orElseThrow()));

            // Rotation: add k2 everywhere, make it current, re-encrypt stored values, then drop k1.
            KeyRing rotated = ring.withKey("k2", EncryptionKey.generate()).withCurrent("k2");
            EncryptedCodec<String> current = secrets.withKeyRing(rotated);
            out.println("old value readable with the new ring: " + current.decode(stored));
            Bytes rewritten = current.rotate(password, stored.value());
            boolean swapped = client.kv().commit(Transaction
                    .when(Compare.modRevision(password).equalTo(stored.modRevision()))
                    .then(Put.of(password, rewritten))).succeeded();
            out.println("rotated in place: " + swapped + ", value now names key: "
                    + current.keyIdOf(client.kv().get(password).orElseThrow().value()));

            // A reader that still has only k1 cannot read values written with k2: a typed error, never garbage.
            try {
                secrets.decode(client.kv().get(password).orElseThrow());
            } catch (DecryptionException e) {
                out.println("reader without k2: " + e.getClass().getSimpleName());
            }
            // What the binding does not cover: an older ciphertext of the same key, written back, still decrypts.
            client.kv().put(password, stored.value());
            out.println("an old ciphertext put back at the same key decrypts: "
                    + current.decode(client.kv().get(password).orElseThrow()));
            // Plain text where ciphertext was expected (say, written with etcdctl) is refused too.
            client.kv().put(password, Bytes.of("typed by hand"));
            try {
                current.decode(client.kv().get(password).orElseThrow());
            } catch (DecryptionException e) {
                out.println("plain text: " + e.getClass().getSimpleName());
            }
            client.kv().deletePrefix(PREFIX);
        }
    }
}
