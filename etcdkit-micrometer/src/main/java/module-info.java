/**
 * etcdkit's Micrometer binding: {@link io.etcdkit.micrometer.EtcdMetrics}, an {@code EtcdListener} that records the
 * {@code etcdkit.*} meters and one {@code etcdkit.call} observation per call.
 */
module io.etcdkit.micrometer {
    requires transitive io.etcdkit;
    requires transitive micrometer.core;
    requires transitive micrometer.observation;
    requires micrometer.commons;
    requires org.slf4j;

    exports io.etcdkit.micrometer;
}
