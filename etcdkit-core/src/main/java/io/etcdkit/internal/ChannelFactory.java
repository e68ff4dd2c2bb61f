package io.etcdkit.internal;

import io.etcdkit.InvalidConfigurationException;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Builds one gRPC channel per member from the client's settings: plain text or TLS (with optional client
 * certificate), keepalive, message-size limits, and the callback executor on which gRPC runs listeners.
 * gRPC's own retries are off: {@link RetryingCall} decides what may be retried.
 */
final class ChannelFactory {
    private final ClientConfig config;
    private final Executor executor;
    private final SslContext sslContext;

    ChannelFactory(ClientConfig config, Executor executor) {
        this.config = config;
        this.executor = executor;
        this.sslContext = config.usesTls() ? sslContext(config) : null;
    }

    ManagedChannel open(Endpoint endpoint) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress(endpoint.host(), endpoint.port())
                .executor(executor)
                .disableRetry()
                .userAgent("etcdkit")
                .maxInboundMessageSize(config.maxInboundMessageSize())
                .maxInboundMetadataSize(1 << 20)
                .keepAliveTime(config.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveTimeout(config.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
                .keepAliveWithoutCalls(true)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.max(1, Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis())));
        if (endpoint.tls()) {
            b.negotiationType(NegotiationType.TLS).sslContext(sslContext);
        } else {
            b.usePlaintext();
        }
        return b.build();
    }

    private static SslContext sslContext(ClientConfig config) {
        SslContextBuilder b = GrpcSslContexts.forClient();
        Path ca = config.trustedCertificates();
        if (ca != null) {
            readable(ca, "trusted CA certificate");
            if (config.hostnameVerification()) {
                try {
                    b.trustManager(ca.toFile());
                } catch (IllegalArgumentException e) {
                    throw new InvalidConfigurationException("cannot read the trusted CA certificate " + ca + ": "
                            + e.getMessage() + "; it must be a PEM file with at least one certificate", e);
                }
            } else {
                b.trustManager(new HostnameIgnoringTrustManager(caTrustManager(ca)));
            }
        }
        if (config.clientCertificate() != null || config.clientKey() != null) {
            if (config.clientCertificate() == null || config.clientKey() == null) {
                throw new InvalidConfigurationException("mTLS needs both a client certificate and its private "
                        + "key; pass both to clientCertificate(certPem, keyPem)");
            }
            readable(config.clientCertificate(), "client certificate");
            readable(config.clientKey(), "client private key");
            try {
                b.keyManager(config.clientCertificate().toFile(), config.clientKey().toFile());
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException("cannot read the client certificate "
                        + config.clientCertificate() + " or key " + config.clientKey()
                        + ": they must be PEM files and the key must be unencrypted PKCS#8 ('BEGIN PRIVATE KEY'); "
                        + e.getMessage(), e);
            }
        }
        try {
            return b.build();
        } catch (IOException | RuntimeException e) {
            throw new InvalidConfigurationException("cannot set up TLS from the configured certificate files ("
                    + "CA " + ca + ", client certificate " + config.clientCertificate() + ", key "
                    + config.clientKey() + "): " + e.getMessage()
                    + "; check that they are valid PEM files", e);
        }
    }

    private static void readable(Path file, String what) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new InvalidConfigurationException("the " + what + " file " + file
                    + " does not exist or cannot be read; check the path and its permissions");
        }
    }

    private static X509ExtendedTrustManager caTrustManager(Path ca) {
        try (InputStream in = Files.newInputStream(ca)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new InvalidConfigurationException("the trusted CA file " + ca + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (var tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return x;
                }
            }
            throw new InvalidConfigurationException("no X.509 trust manager available for " + ca);
        } catch (InvalidConfigurationException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidConfigurationException("cannot read the trusted CA file " + ca
                    + " as PEM certificates: " + e.getMessage(), e);
        }
    }
}
