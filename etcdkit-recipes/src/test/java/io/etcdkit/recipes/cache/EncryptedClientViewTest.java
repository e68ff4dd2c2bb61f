package io.etcdkit.recipes.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.IntegrityCheckFailedException;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.codec.NotAnEnvelopeException;
import io.etcdkit.codec.UnknownKeyIdException;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.repository.Repository;
import io.etcdkit.recipes.repository.Versioned;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code client.withEncryption(keyRing)}: a client-wide switch for encrypted values, against a real member. */
class EncryptedClientViewTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final Duration WAIT = Duration.ofSeconds(10);
    static final KeyRing RING = KeyRing.of("k1", EncryptionKey.generate());

    /** A resource type for the repository on the encrypted view. */
    record Note(String text) {
    }

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @Test
    void kvTransactionsAndWatchesEncryptAndDecryptTransparently() {
        try (EtcdClient plain = client()) {
            EtcdClient secret = plain.withEncryption(RING);
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            long start = plain.kv().put("encv-start", "-").revision() + 1;
            try (Watcher w = secret.watches().watch(Watch.prefix("encv/").withPreviousValues().fromRevision(start),
                    events::add)) {
                long rev = secret.kv().put("encv/a", "alpha").revision();

                KeyValue raw = plain.kv().get("encv/a").orElseThrow();
                assertThat(EncryptedCodec.isEncrypted(raw.value())).as("a plain view sees an envelope").isTrue();
                assertThat(raw.valueAsString()).doesNotContain("alpha");
                assertThat(EncryptedCodec.isEncrypted(Bytes.of("alpha"))).isFalse();
                assertThat(secret.kv().get("encv/a").orElseThrow().valueAsString()).isEqualTo("alpha");

                // a transaction: compares on revisions work, puts are sealed, reads opened
                TxnResult txn = secret.kv().commit(Transaction.when(Compare.modRevision("encv/a").equalTo(rev))
                        .then(Put.of("encv/a", "beta").withPreviousValue(), Range.key("encv/a")));
                assertThat(txn.succeeded()).isTrue();
                assertThat(txn.putResult(0).previous().orElseThrow().valueAsString()).isEqualTo("alpha");
                assertThat(txn.rangeResult(1).first().orElseThrow().valueAsString()).isEqualTo("beta");
                assertThat(EncryptedCodec.isEncrypted(plain.kv().get("encv/a").orElseThrow().value())).isTrue();
                // a compare on a value is refused: ciphertexts never compare equal
                assertThatThrownBy(() -> secret.kv().compareAndSet("encv/a", "beta", "gamma"))
                        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("mod revision");

                Awaitility.await().atMost(WAIT).alias("events " + events).until(() -> events.stream()
                        .filter(e -> e instanceof PutEvent).count() >= 2);
                List<PutEvent> puts = events.stream().filter(e -> e instanceof PutEvent).map(e -> (PutEvent) e)
                        .toList();
                assertThat(puts.get(0).valueAsString()).isEqualTo("alpha");
                assertThat(puts.get(1).valueAsString()).isEqualTo("beta");
                assertThat(puts.get(1).previous().orElseThrow().valueAsString()).isEqualTo("alpha");

                // the same value reads alike through a namespaced encrypted view (bound to the full key)
                assertThat(plain.withNamespace("encv/").withEncryption(RING).kv().get("a").orElseThrow()
                        .valueAsString()).isEqualTo("beta");
                assertThat(secret.withNamespace("encv/").kv().get("a").orElseThrow().valueAsString())
                        .isEqualTo("beta");
            }
        }
    }

    @Test
    void plainValuesWrongKeysAndCopiedCiphertextsAreTypedErrors() {
        try (EtcdClient plain = client()) {
            EtcdClient secret = plain.withEncryption(RING);
            plain.kv().put("encv-err/plain", "written in the clear");
            assertThatThrownBy(() -> secret.kv().get("encv-err/plain")).isInstanceOf(NotAnEnvelopeException.class);

            secret.kv().put("encv-err/a", "alpha");
            EtcdClient other = plain.withEncryption(KeyRing.of("k2", EncryptionKey.generate()));
            assertThatThrownBy(() -> other.kv().get("encv-err/a")).isInstanceOf(UnknownKeyIdException.class);
            EtcdClient wrong = plain.withEncryption(KeyRing.of("k1", EncryptionKey.generate()));
            assertThatThrownBy(() -> wrong.kv().get("encv-err/a")).isInstanceOf(IntegrityCheckFailedException.class);

            long copied = plain.kv().put(Bytes.of("encv-err/b"), plain.kv().get("encv-err/a").orElseThrow().value())
                    .revision();
            assertThatThrownBy(() -> secret.kv().get("encv-err/b")).isInstanceOf(IntegrityCheckFailedException.class);

            // a watch never hands out ciphertext: it ends with the error
            List<WatchEvent> events = new CopyOnWriteArrayList<>();
            // from the next revision: a watch "from now" may be created after the put below on a loaded machine
            try (Watcher w = other.watches().watch(Watch.prefix("encv-err/").fromRevision(copied + 1), events::add)) {
                secret.kv().put("encv-err/c", "gamma");
                Awaitility.await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof EndedEvent));
                assertThat(events).noneMatch(e -> e instanceof PutEvent);
                assertThat(events.stream().filter(e -> e instanceof EndedEvent).findFirst().map(e ->
                        ((EndedEvent) e).cause())).get().isInstanceOf(UnknownKeyIdException.class);
            }
        }
    }

    @Test
    void recipesBuiltOnTheEncryptedViewReadPlaintext() throws Exception {
        try (EtcdClient plain = client()) {
            EtcdClient secret = plain.withEncryption(RING);
            secret.kv().put("encv-cache/x", "ex");
            try (CachedView<String> view = CachedView.open(secret, "encv-cache/", Codecs.text())) {
                assertThat(view.awaitReady(WAIT)).isTrue();
                assertThat(view.get("encv-cache/x")).contains("ex");
                long rev = secret.kv().put("encv-cache/y", "why").revision();
                assertThat(view.awaitRevision(rev, WAIT)).isTrue();
                assertThat(view.get("encv-cache/y")).contains("why");
            }

            Repository<Note> notes = Repository.builder(secret, "encv-notes", Note.class).build();
            Versioned<Note> created = notes.create("n1", new Note("private"));
            notes.update("n1", new Note("still private"), created.version());
            assertThat(notes.get("n1").orElseThrow().value().text()).isEqualTo("still private");
            assertThat(notes.list()).extracting(v -> v.value().text()).containsExactly("still private");
            KeyValue raw = plain.kv().get("encv-notes/n1").orElseThrow();
            assertThat(EncryptedCodec.isEncrypted(raw.value())).isTrue();
            assertThat(raw.valueAsString()).doesNotContain("private");
        }
    }
}
