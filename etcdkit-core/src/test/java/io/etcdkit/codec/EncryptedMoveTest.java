package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Put;
import io.etcdkit.lease.Lease;
import io.etcdkit.testing.EtcdClusterExtension;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link EncryptedCodec#move}: an encrypted key moved in etcd, re-encrypted for its new name, in one transaction. */
class EncryptedMoveTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static EtcdClient client;

    final EncryptionKey k1 = EncryptionKey.generate();
    final EncryptedCodec<String> codec = Codecs.encrypted(KeyRing.of("k1", k1), Codecs.text());

    @BeforeAll
    static void connect() {
        client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @AfterAll
    static void close() {
        client.close();
    }

    @Test
    void theMovedValueDecryptsUnderItsNewNameAndTheOldKeyIsGone() {
        client.kv().put(Bytes.of("move/a"), codec.encode("move/a", "s3cret"));
        Bytes before = client.kv().get("move/a").orElseThrow().value();

        assertThat(codec.move(client.kv(), "move/a", "move/b")).isTrue();

        assertThat(client.kv().exists("move/a")).isFalse();
        KeyValue moved = client.kv().get("move/b").orElseThrow();
        assertThat(codec.decode(moved)).isEqualTo("s3cret");
        assertThat(moved.value()).isNotEqualTo(before);
        // Read under its old name, the new envelope is refused: it is bound to "move/b".
        assertThatThrownBy(() -> codec.decode(Bytes.of("move/a"), moved.value()))
                .isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void aPlainMoveOrCopyWithoutReencryptionFailsToDecryptUnderTheNewName() {
        client.kv().put(Bytes.of("copy/a"), codec.encode("copy/a", "s3cret"));
        assertThat(client.kv().move("copy/a", "copy/b")).isTrue(); // moves the envelope unchanged
        assertThatThrownBy(() -> codec.decode(client.kv().get("copy/b").orElseThrow()))
                .isInstanceOf(IntegrityCheckFailedException.class)
                .hasMessageContaining("written for another key name");
        client.kv().put(Bytes.of("copy/c"), client.kv().get("copy/b").orElseThrow().value());
        assertThatThrownBy(() -> codec.decode(client.kv().get("copy/c").orElseThrow()))
                .isInstanceOf(IntegrityCheckFailedException.class);
    }

    @Test
    void theMoveUsesTheCurrentKeyAndKeepsTheLease() {
        Lease lease = client.leases().grant(Duration.ofSeconds(60));
        client.kv().put(Put.of(Bytes.of("rot/a"), codec.encode("rot/a", "v")).lease(lease.id()));
        EncryptedCodec<String> rotated = codec.withKeyRing(codec.keyRing().withKey("k2", EncryptionKey.generate())
                .withCurrent("k2"));

        assertThat(rotated.move(client.kv(), "rot/a", "rot/b")).isTrue();

        KeyValue moved = client.kv().get("rot/b").orElseThrow();
        assertThat(rotated.keyIdOf(moved.value())).isEqualTo("k2");
        assertThat(rotated.decode(moved)).isEqualTo("v");
        assertThat(moved.lease()).isEqualTo(lease.id());
        client.leases().revoke(lease.id());
    }

    @Test
    void anExistingTargetOrAMissingSourceChangesNothing() {
        client.kv().put(Bytes.of("both/a"), codec.encode("both/a", "a"));
        client.kv().put(Bytes.of("both/b"), codec.encode("both/b", "b"));
        long revision = client.kv().get("both/a").orElseThrow().modRevision();

        assertThat(codec.move(client.kv(), "both/a", "both/b")).isFalse();
        assertThat(codec.move(client.kv(), "both/missing", "both/c")).isFalse();

        assertThat(client.kv().get("both/a").orElseThrow().modRevision()).isEqualTo(revision);
        assertThat(codec.decode(client.kv().get("both/b").orElseThrow())).isEqualTo("b");
        assertThat(client.kv().exists("both/c")).isFalse();
    }

    @Test
    void aSourceChangedAfterTheReadIsNotMoved() {
        client.kv().put(Bytes.of("race/a"), codec.encode("race/a", "first"));
        // A KV whose read of the source is followed at once by another writer's put of it.
        Kv racing = writeAfterRead(client.kv(), Bytes.of("race/a"), codec.encode("race/a", "second"));

        assertThat(codec.move(racing, "race/a", "race/b")).isFalse();

        assertThat(codec.decode(client.kv().get("race/a").orElseThrow())).isEqualTo("second");
        assertThat(client.kv().exists("race/b")).isFalse();
    }

    @Test
    void aValueThatDoesNotDecryptIsATypedErrorAndNothingChanges() {
        client.kv().put("bad/plain", "not encrypted");
        client.kv().put(Bytes.of("bad/other"), codec.encode("bad/elsewhere", "v"));
        EncryptedCodec<String> stranger = Codecs.encrypted(KeyRing.of("k1", EncryptionKey.generate()), Codecs.text());
        client.kv().put(Bytes.of("bad/foreign"), stranger.encode("bad/foreign", "v"));

        assertThatThrownBy(() -> codec.move(client.kv(), "bad/plain", "bad/x"))
                .isInstanceOf(NotAnEnvelopeException.class);
        assertThatThrownBy(() -> codec.move(client.kv(), "bad/other", "bad/x"))
                .isInstanceOf(IntegrityCheckFailedException.class);
        assertThatThrownBy(() -> codec.move(client.kv(), "bad/foreign", "bad/x"))
                .isInstanceOf(IntegrityCheckFailedException.class);

        assertThat(client.kv().exists("bad/x")).isFalse();
        assertThat(client.kv().list("bad/")).hasSize(3);
    }

    @Test
    void badArgumentsAreTypedErrors() {
        assertThatThrownBy(() -> codec.move(client.kv(), "same", "same"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("onto itself");
        assertThatThrownBy(() -> codec.move(client.kv(), Bytes.EMPTY, Bytes.of("x")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must not be empty");
    }

    /** {@code kv}, except that reading {@code key} writes {@code value} to it right after the read. */
    static Kv writeAfterRead(Kv kv, Bytes key, Bytes value) {
        return (Kv) Proxy.newProxyInstance(Kv.class.getClassLoader(), new Class<?>[] {Kv.class}, (proxy, m, args) -> {
            try {
                Object result = m.invoke(kv, args);
                if (m.getName().equals("getAsync") && key.equals(args[0])) {
                    @SuppressWarnings("unchecked")
                    CompletableFuture<Optional<KeyValue>> read = (CompletableFuture<Optional<KeyValue>>) result;
                    return read.thenApply(r -> {
                        kv.put(key, value);
                        return r;
                    });
                }
                return result;
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }
}
