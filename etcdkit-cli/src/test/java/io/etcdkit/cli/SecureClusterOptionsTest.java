package io.etcdkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.TlsFiles;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** --cacert/--cert/--key against a member that requires client certificates, and --user/--password with auth on. */
class SecureClusterOptionsTest {

    @Nested
    class MutualTls {
        @RegisterExtension
        static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().clientCertAuth(true).build();

        @Test
        void theClientCertificateIsPresentedAndTheCaChecked() {
            TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
            String ep = ETCD.clientEndpointsString();
            Cli.Result put = Cli.run("put", "secure", "yes", "--endpoints", ep, "--cacert", tls.caCert().toString(),
                    "--cert", tls.clientCert().toString(), "--key", tls.clientKey().toString());
            assertThat(put.code()).as("%s", put).isZero();
            Cli.Result get = Cli.run("get", "secure", "--endpoints", ep, "--cacert", tls.caCert().toString(),
                    "--cert", tls.clientCert().toString(), "--key", tls.clientKey().toString());
            assertThat(get.out()).isEqualTo("yes\n");

            Cli.Result noCert = Cli.run("get", "secure", "--endpoints", ep, "--cacert", tls.caCert().toString(),
                    "--timeout", "3s");
            assertThat(noCert.code()).isNotZero();
            assertThat(noCert.errLine()).startsWith("etcdkit get: ");
            Cli.Result wrongCa = Cli.run("get", "secure", "--endpoints", ep, "--cacert", tls.otherCaCert().toString(),
                    "--cert", tls.clientCert().toString(), "--key", tls.clientKey().toString(), "--timeout", "3s");
            assertThat(wrongCa.code()).isNotZero();
            assertThat(wrongCa.errLine()).startsWith("etcdkit get: ");
        }
    }

    @Nested
    class Authentication {
        @RegisterExtension
        static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().auth(true).build();

        @Test
        void credentialsInEitherFormAndAWrongPasswordIsOneLine() {
            String ep = ETCD.clientEndpointsString();
            String password = ETCD.cluster().rootPassword();
            assertThat(Cli.run("put", "who", "root", "--endpoints", ep, "--user", "root:" + password).code()).isZero();
            assertThat(Cli.run("get", "who", "--endpoints", ep, "--user", "root", "--password", password).out())
                    .isEqualTo("root\n");
            Cli.Result wrong = Cli.run("get", "who", "--endpoints", ep, "--user", "root:wrong");
            assertThat(wrong.code()).isEqualTo(1);
            assertThat(wrong.errLine()).startsWith("etcdkit get: ");
            Cli.Result anonymous = Cli.run("get", "who", "--endpoints", ep);
            assertThat(anonymous.code()).isNotZero();
            assertThat(anonymous.errLine()).startsWith("etcdkit get: ");
            Cli.Result noPassword = Cli.run("get", "who", "--endpoints", ep, "--user", "root");
            assertThat(noPassword.code()).isEqualTo(2);
            assertThat(noPassword.errLine()).contains("no password for user 'root'");
        }
    }
}
