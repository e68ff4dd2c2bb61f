package io.etcdkit.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Encrypted values stored in and read back from a real etcd. */
class EncryptedCodecEtcdTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    record Credentials(String user, String password) {
    }

    @Test
    void storesCiphertextAndDecryptsWhatItReadsBack() {
        KeyRing ring = KeyRing.of("k1", EncryptionKey.generate());
        EncryptedCodec<Credentials> codec = Codecs.encrypted(ring, Codecs.of("credentials",
                c -> Bytes.of("user=" + c.user() + "\npassword=" + c.password()), b -> {
                    String[] lines = b.toStringUtf8().split("\n", 2);
                    return new Credentials(lines[0].substring("user=".length()),
                            lines[1].substring("password=".length()));
                }));
        Credentials credentials = new Credentials("app", "hunter2-very-secret");
        Bytes key = Bytes.of("codec/secrets/db");
        Bytes copy = Bytes.of("codec/secrets/copy");

        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            client.kv().put(key, codec.encode(key, credentials));

            KeyValue raw = client.kv().get(key).orElseThrow();
            byte[] stored = raw.value().toByteArray();
            assertThat(stored[0]).isEqualTo((byte) 0xFF);
            assertThat(codec.keyIdOf(raw.value())).isEqualTo("k1");
            assertThat(contains(stored, "hunter2".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(contains(stored, "password".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(codec.decode(raw)).isEqualTo(credentials);

            // the raw bytes copied to another key are rejected there; reencrypt moves them properly
            client.kv().put(copy, raw.value());
            KeyValue copied = client.kv().get(copy).orElseThrow();
            assertThatThrownBy(() -> codec.decode(copied)).isInstanceOf(IntegrityCheckFailedException.class);
            client.kv().put(copy, codec.reencrypt(key, copy, raw.value()));
            assertThat(codec.decode(client.kv().get(copy).orElseThrow())).isEqualTo(credentials);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
