package io.etcdkit.recipes.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.IntegrityCheckFailedException;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.testing.EtcdClusterExtension;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Client-side encryption through {@link Stm}, against a real member. */
@Timeout(30)
class EncryptedStmTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();
    static final EncryptedCodec<Long> BALANCES =
            Codecs.encrypted(KeyRing.of("k1", EncryptionKey.generate()), Codecs.longs());

    static EtcdClient client() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
    }

    @Test
    void aTransferBetweenEncryptedAccountsOfANamespacedClientRoundTrips() {
        try (EtcdClient root = client()) {
            EtcdClient bank = root.withNamespace("enc-bank/");
            Stm stm = Stm.of(bank);
            stm.run(txn -> {
                txn.put("alice", 100L, BALANCES);
                txn.put("bob", 5L, BALANCES);
                return null;
            });
            long moved = stm.run(txn -> {
                long from = txn.get("alice", BALANCES).orElseThrow();
                long to = txn.get("bob", BALANCES).orElseThrow();
                txn.put("alice", from - 30, BALANCES);
                txn.put("bob", to + 30, BALANCES);
                // a read after a write in the same attempt decodes the buffered ciphertext
                return txn.get("bob", BALANCES).orElseThrow() - to;
            });
            assertThat(moved).isEqualTo(30);

            // etcd holds ciphertext bound to the key as the namespaced client sees it
            KeyValue alice = bank.kv().get("alice").orElseThrow();
            assertThat(alice.valueAsString()).isNotEqualTo("70");
            assertThat(BALANCES.decode(alice)).isEqualTo(70L);
            Optional<Long> bob = stm.run(txn -> txn.get("bob", BALANCES));
            Optional<Long> carol = stm.run(txn -> txn.get("carol", BALANCES));
            assertThat(bob).contains(35L);
            assertThat(carol).isEmpty();
        }
    }

    @Test
    void aCiphertextCopiedFromAnotherKeyAbortsTheRunWithNothingWritten() {
        try (EtcdClient client = client()) {
            Stm stm = Stm.of(client);
            stm.run(txn -> {
                txn.put("enc-stm/rich", 1_000_000L, BALANCES);
                txn.put("enc-stm/poor", 1L, BALANCES);
                return null;
            });
            // someone with write access but no key copies the rich account's ciphertext over the poor one
            Bytes rich = client.kv().get("enc-stm/rich").orElseThrow().value();
            client.kv().put(Bytes.of("enc-stm/poor"), rich);
            long before = client.kv().get("enc-stm/poor").orElseThrow().modRevision();

            assertThatThrownBy(() -> stm.run(txn -> {
                long poor = txn.get("enc-stm/poor", BALANCES).orElseThrow();
                txn.put("enc-stm/poor", poor - 1, BALANCES);
                txn.put("enc-stm/log", 1L, BALANCES);
                return null;
            })).isInstanceOf(IntegrityCheckFailedException.class).hasMessageContaining("enc-stm/poor");

            assertThat(client.kv().get("enc-stm/poor").orElseThrow().modRevision()).isEqualTo(before);
            assertThat(client.kv().get("enc-stm/log")).isEmpty();
            // the run can catch it and go on
            Optional<Long> read = stm.run(txn -> {
                try {
                    return txn.get("enc-stm/poor", BALANCES);
                } catch (IntegrityCheckFailedException e) {
                    return Optional.empty();
                }
            });
            assertThat(read).isEmpty();
        }
    }
}
