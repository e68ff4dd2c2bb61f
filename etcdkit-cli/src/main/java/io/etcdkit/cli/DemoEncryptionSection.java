package io.etcdkit.cli;

import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.codec.DecryptionException;
import io.etcdkit.codec.EncryptedCodec;
import io.etcdkit.codec.EncryptionKey;
import io.etcdkit.codec.KeyRing;
import io.etcdkit.kv.Kv;
import java.io.PrintWriter;

/**
 * The demo's "Encryption" section: values encrypted on the client, bound to their key name, with key rotation.
 */
final class DemoEncryptionSection {
    private final Kv kv;
    private final PrintWriter out;

    DemoEncryptionSection(EtcdClient client, PrintWriter out) {
        this.kv = client.kv();
        this.out = out;
    }

    void run() {
        KeyRing ring = KeyRing.of("k1", EncryptionKey.generate());
        EncryptedCodec<String> secrets = EncryptedCodec.of(ring, Codecs.text());
        Bytes key = Bytes.of("secrets/db-password");
        kv.put(key, secrets.encode(key, "s3cret"));
        Bytes stored = kv.get(key).orElseThrow().value();
        out.println("stored secrets/db-password encrypted with key " + secrets.keyIdOf(stored) + ": " + stored.size()
                + " bytes, plaintext visible in etcd -> " + stored.toStringUtf8().contains("s3cret"));
        out.println("decrypted -> " + secrets.decode(key, stored));
        Bytes copy = Bytes.of("secrets/copied");
        kv.put(copy, stored);
        try {
            secrets.decode(copy, kv.get(copy).orElseThrow().value());
            out.println("ciphertext copied to another key -> accepted (wrong!)");
        } catch (DecryptionException e) {
            out.println("ciphertext copied to another key -> refused: " + e.getClass().getSimpleName());
        }
        KeyRing rotated = ring.withKey("k2", EncryptionKey.generate()).withCurrent("k2");
        EncryptedCodec<String> afterRotation = secrets.withKeyRing(rotated);
        Bytes reencrypted = afterRotation.rotate(key, stored);
        kv.put(key, reencrypted);
        out.println("rotated to key " + afterRotation.keyIdOf(reencrypted) + " -> decrypted "
                + afterRotation.decode(key, kv.get(key).orElseThrow().value()));
        try {
            secrets.decode(key, reencrypted);
            out.println("a reader that lacks k2 -> decrypted (wrong!)");
        } catch (DecryptionException e) {
            out.println("a reader that lacks k2 -> refused: " + e.getClass().getSimpleName());
        }
    }
}
