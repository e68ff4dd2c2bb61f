package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.IntegrityCheckFailedException;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client-side encryption through {@link CachedView} and {@link CachedValue}, against a real member. */
class EncryptedCacheTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final EncryptedCodec<String> SECRETS =
            Codecs.encrypted(KeyRing.of("k1", EncryptionKey.generate()), Codecs.text());

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    /** Stores {@code value} at {@code key}, encrypted for that key as {@code client}'s KV sees it. */
    static long putEncrypted(EtcdClient client, String key, String value) {
        Bytes k = Bytes.of(key);
        return client.kv().put(k, SECRETS.encode(k, value)).revision();
    }

    /** Copies the stored bytes of {@code from} unchanged to {@code to}, as a careless script or an attacker would. */
    static long copyStored(EtcdClient client, String from, String to) {
        return client.kv().put(Bytes.of(to), client.kv().get(from).orElseThrow().value()).revision();
    }

    @Test
    void aViewOfANamespacedClientDecryptsValuesAndItsCompareAndSetEncrypts() throws Exception {
        try (EtcdClient root = client()) {
            EtcdClient tenant = root.withNamespace("enc-tenant/");
            putEncrypted(tenant, "secrets/db", "s3cret");
            try (CachedView<String> view = CachedView.open(tenant, "secrets/", SECRETS)) {
                assertThat(view.awaitReady(WAIT)).isTrue();
                assertThat(view.get("secrets/db")).contains("s3cret");

                CachedEntry<String> db = view.entry("secrets/db").orElseThrow();
                long rev = view.compareAndSet("secrets/db", db.modRevision(), "rotated").orElseThrow();
                assertThat(view.awaitRevision(rev, WAIT)).isTrue();
                assertThat(view.get("secrets/db")).contains("rotated");

                // What etcd holds is ciphertext, bound to the key as the namespaced client sees it.
                KeyValue stored = tenant.kv().get("secrets/db").orElseThrow();
                assertThat(stored.valueAsString()).doesNotContain("rotated");
                assertThat(SECRETS.decode(stored)).isEqualTo("rotated");
                assertThat(SECRETS.keyIdOf(stored.value())).isEqualTo("k1");
            }
        }
    }

    @Test
    void aCiphertextCopiedFromAnotherKeyIsADecodeFailureOfTheView() throws Exception {
        try (EtcdClient client = client()) {
            putEncrypted(client, "enc-view/a", "alpha");
            putEncrypted(client, "enc-view/b", "beta");
            List<KeyValue> raw = new CopyOnWriteArrayList<>();
            List<ValueDecodingException> failures = new CopyOnWriteArrayList<>();
            CacheListener<String> recorder = new CacheListener<>() {
                @Override
                public void onDecodeFailure(KeyValue kv, ValueDecodingException error) {
                    raw.add(kv);
                    failures.add(error);
                }
            };
            try (CachedView<String> skipping = CachedView.builder(client, "enc-view/", SECRETS)
                    .listener(recorder)
                    .open();
                 CachedView<String> keeping = CachedView.builder(client, "enc-view/", SECRETS)
                         .options(CacheOptions.defaults().onDecodeFailure(DecodeFailurePolicy.KEEP_LAST_GOOD))
                         .open()) {
                assertThat(skipping.awaitReady(WAIT)).isTrue();
                assertThat(keeping.awaitReady(WAIT)).isTrue();
                assertThat(skipping.asMap()).containsOnlyKeys("enc-view/a", "enc-view/b");

                long rev = copyStored(client, "enc-view/a", "enc-view/b");
                assertThat(skipping.awaitRevision(rev, WAIT)).isTrue();
                assertThat(keeping.awaitRevision(rev, WAIT)).isTrue();

                assertThat(failures).singleElement().isInstanceOf(IntegrityCheckFailedException.class)
                        .satisfies(e -> assertThat(e.getMessage()).contains("enc-view/b"));
                assertThat(raw).singleElement().satisfies(kv -> assertThat(kv.keyAsString()).isEqualTo("enc-view/b"));
                // never accepted as b's value: SKIP drops b, KEEP_LAST_GOOD keeps b's own last value
                assertThat(skipping.get("enc-view/b")).isEmpty();
                assertThat(keeping.get("enc-view/b")).contains("beta");
                assertThat(skipping.get("enc-view/a")).contains("alpha");

                // The view keeps working: a value written properly for b decrypts again.
                long fixed = putEncrypted(client, "enc-view/b", "gamma");
                assertThat(skipping.awaitRevision(fixed, WAIT)).isTrue();
                assertThat(skipping.get("enc-view/b")).contains("gamma");
            }
        }
    }

    @Test
    void aCachedValueDecryptsAndReportsACopiedCiphertextThenFallsBackToItsDefault() throws Exception {
        try (EtcdClient client = client()) {
            putEncrypted(client, "enc-value/other", "not yours");
            CachedValueTest.Recorder<String> rec = new CachedValueTest.Recorder<>();
            try (CachedValue<String> password = CachedValue.builder(client, "enc-value/password", SECRETS, "none")
                    .listener(rec).open()) {
                assertThat(password.awaitReady(WAIT)).isTrue();
                assertThat(password.get()).isEqualTo("none");

                long rev = password.compareAndSet(0, "s3cret").orElseThrow();
                assertThat(password.awaitRevision(rev, WAIT)).isTrue();
                assertThat(password.get()).isEqualTo("s3cret");
                assertThat(client.kv().get("enc-value/password").orElseThrow().valueAsString())
                        .doesNotContain("s3cret");

                long copied = copyStored(client, "enc-value/other", "enc-value/password");
                assertThat(password.awaitRevision(copied, WAIT)).isTrue();
                assertThat(rec.failures).singleElement().isInstanceOf(IntegrityCheckFailedException.class);
                assertThat(password.get()).as("the copied value is never served").isEqualTo("none");
                assertThat(rec.changes).as("the initial default, the write, the fallback")
                        .containsExactly("none", "s3cret", "none");
            }
        }
    }
}
