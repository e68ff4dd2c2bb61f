/**
 * Real etcd members for tests: the launcher ({@link io.etcdkit.testing.EtcdCluster}), the JUnit 5 extension
 * ({@link io.etcdkit.testing.EtcdClusterExtension}), fault injection, and fault checkers
 * ({@code io.etcdkit.testing.check}). It does not depend on the etcdkit client.
 */
module io.etcdkit.testing {
    requires transitive org.junit.jupiter.api;
    requires java.net.http;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.slf4j;

    exports io.etcdkit.testing;
    exports io.etcdkit.testing.check;
    exports io.etcdkit.testing.nemesis;
}
