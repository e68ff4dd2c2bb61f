package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EncryptedValuesExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void storesCiphertextRefusesCopiesRotatesAndTypesEveryFailure() throws Exception {
        List<String> lines = ExampleRun.linesOf(EncryptedValuesExample::run, ETCD);
        assertThat(lines).containsExactly(
                "stored bytes contain the plaintext: false",
                "stored value names key: k1",
                "decrypted: s3cret",
                "copied ciphertext refused: IntegrityCheckFailedException",
                "view skips examples/secrets/api-token: IntegrityCheckFailedException",
                "view: {examples/secrets/db-password=s3cret}",
                "re-encrypted copy decrypts: s3cret",
                "old value readable with the new ring: s3cret",
                "rotated in place: true, value now names key: k2",
                "reader without k2: UnknownKeyIdException",
                "an old ciphertext put back at the same key decrypts: s3cret",
                "plain text: NotAnEnvelopeException");
        assertThat(ExampleRun.keysUnder(ETCD, EncryptedValuesExample.PREFIX)).isZero();
    }
}
