package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdUnavailableException;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.TlsFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TlsExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().tls(true).clientCertAuth(true).build();

    @Test
    void connectsWithTheCaAndAClientCertificate() {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        ExampleRun run = new ExampleRun();
        TlsExample.run(new String[] {ETCD.clientEndpointsString(), tls.caCert().toString(),
            tls.clientCert().toString(), tls.clientKey().toString()}, run.out());
        List<String> lines = run.lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("member [0-9a-f]+ runs etcd 3\\.\\d+\\.\\d+ \\(leader\\)");
        assertThat(lines.get(1)).isEqualTo("read back: over TLS");
    }

    @Test
    void withoutTheClientCertificateTheMemberRefusesWithAClearError() {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        assertThatThrownBy(() -> TlsExample.run(new String[] {ETCD.clientEndpointsString(),
            tls.caCert().toString()}, new ExampleRun().out()))
                .isInstanceOf(EtcdUnavailableException.class)
                .hasMessageContaining("clientCertificate");
    }
}
