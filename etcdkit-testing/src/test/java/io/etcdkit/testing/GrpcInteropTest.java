package io.etcdkit.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;

/** grpc-java on grpc-netty-shaded (the library's transport) accepts the generated CA, client cert and PKCS#8 key. */
class GrpcInteropTest {

    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().clientCertAuth(true).build();

    @Test
    void grpcNettyShadedConnectsWithTheGeneratedClientCertificate() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        SslContext ssl = GrpcSslContexts.forClient().trustManager(tls.caCert().toFile())
                .keyManager(tls.clientCert().toFile(), tls.clientKey().toFile()).build();

        assertThat(check(ssl)).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void grpcNettyShadedIsRejectedWithoutAClientCertificate() throws Exception {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        SslContext ssl = GrpcSslContexts.forClient().trustManager(tls.caCert().toFile()).build();

        assertThatThrownBy(() -> check(ssl)).isInstanceOf(StatusRuntimeException.class);
    }

    private static HealthCheckResponse.ServingStatus check(SslContext ssl) throws InterruptedException {
        URI endpoint = URI.create(ETCD.clientEndpoints().get(0));
        ManagedChannel channel = NettyChannelBuilder.forAddress(endpoint.getHost(), endpoint.getPort())
                .sslContext(ssl).build();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
