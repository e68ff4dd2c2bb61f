package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EncryptedValuesExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    @Test
    void storesCiphertextRefusesCopiesRotatesAndTypesEveryFailure() throws Exception {
        ExampleRun run = new ExampleRun();
        EncryptedValuesExample.run(new String[] {ETCD.clientEndpointsString()}, run.out());
        assertThat(run.lines()).containsExactly(
                "stored bytes contain the plaintext: false",
                "stored value names key: k1",
                "decrypted: s3cret",
                "copied ciphertext refused: IntegrityCheckFailedException",
                "re-encrypted copy decrypts: s3cret",
                "old value readable with the new ring: s3cret",
                "rotated in place: true, value now names key: k2",
                "reader without k2: UnknownKeyIdException",
                "an old ciphertext put back at the same key decrypts: s3cret",
                "plain text: NotAnEnvelopeException");
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            assertThat(client.kv().count(Range.prefix(EncryptedValuesExample.PREFIX))).isZero();
        }
    }
}
