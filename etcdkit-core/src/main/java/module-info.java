/**
 * etcdkit, the etcd v3 client: {@link io.etcdkit.EtcdClient} and its KV, watch, lease, cluster, maintenance and
 * auth APIs, value codecs and encryption, and the listener SPI.
 *
 * <p>Only the API packages are exported; {@code io.etcdkit.internal} and its sub-packages are the
 * implementation and may change in any release. The API names no gRPC, protobuf, Netty or Jackson type.
 */
module io.etcdkit {
    requires io.grpc;
    requires io.grpc.stub;
    requires io.grpc.protobuf;
    requires io.grpc.netty.shaded;
    requires com.google.protobuf;
    requires jetcd.grpc;
    requires org.slf4j;

    exports io.etcdkit;
    exports io.etcdkit.auth;
    exports io.etcdkit.cluster;
    exports io.etcdkit.codec;
    exports io.etcdkit.kv;
    exports io.etcdkit.lease;
    exports io.etcdkit.observe;
    exports io.etcdkit.watch;
}
