package io.etcdkit.internal;

import io.etcdkit.InvalidConfigurationException;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NegotiationType;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds one gRPC channel per member from the client's settings: plain text or TLS (with optional client
 * certificate), keepalive, message-size limits, and the callback executor on which gRPC runs listeners.
 * gRPC's own retries are off: {@link RetryingCall} decides what may be retried.
 */
final class ChannelFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelFactory.class);
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
        if (config.insecureSkipTlsVerification()) {
            LOG.warn("etcdkit: TLS certificate verification is OFF (insecureSkipTlsVerification): any server, and "
                    + "anyone between this client and etcd, is trusted. Use it for development only");
            b.trustManager(InsecureTrustManagerFactory.INSTANCE);
        } else if (ca != null) {
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
            clientKey(b, config);
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

    /**
     * Sets the client certificate and key. PKCS#8 keys (plain or encrypted) go to Netty as files; PKCS#1 and SEC1
     * keys, which Netty cannot read, are converted first.
     */
    private static void clientKey(SslContextBuilder b, ClientConfig config) {
        Path certFile = config.clientCertificate();
        Path keyFile = config.clientKey();
        String pem;
        try {
            pem = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot read the client key " + keyFile + ": " + e.getMessage(),
                    e);
        }
        boolean encrypted = pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        if (encrypted && config.clientKeyPassword() == null) {
            throw new InvalidConfigurationException("the client key " + keyFile + " is encrypted; pass its password "
                    + "with clientCertificate(cert, key, password)");
        }
        String traditional = TraditionalKeys.label(pem);
        try {
            if (traditional != null) {
                PrivateKey key = TraditionalKeys.read(pem, traditional, keyFile);
                b.keyManager(key, certificates(certFile));
            } else {
                b.keyManager(certFile.toFile(), keyFile.toFile(), encrypted ? config.clientKeyPassword() : null);
            }
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("cannot read the client certificate " + certFile + " or key "
                    + keyFile + ": they must be PEM files, the key PKCS#8 ('BEGIN PRIVATE KEY', or 'BEGIN ENCRYPTED "
                    + "PRIVATE KEY' with its password), PKCS#1 ('BEGIN RSA PRIVATE KEY') or SEC1 ('BEGIN EC PRIVATE "
                    + "KEY'), and an encrypted key needs its right password; " + e.getMessage(), e);
        }
    }

    private static X509Certificate[] certificates(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certs.isEmpty()) {
                throw new InvalidConfigurationException("the client certificate file " + file
                        + " holds no certificate");
            }
            return certs.stream().map(c -> (X509Certificate) c).toArray(X509Certificate[]::new);
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new InvalidConfigurationException("cannot read the client certificate " + file
                    + " as PEM certificates: " + e.getMessage(), e);
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
