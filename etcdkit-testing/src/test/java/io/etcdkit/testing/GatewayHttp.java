package io.etcdkit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Test-side access to etcd's JSON gateway, built only from the JDK (no BouncyCastle, no main-code helpers), so
 * tests check the generated files and the running members independently of the code under test.
 */
final class GatewayHttp {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private GatewayHttp() {
    }

    static HttpClient plain() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .build();
    }

    /** Trusts only the PEM CA; presents no client certificate. */
    static HttpClient trusting(Path caPem) throws Exception {
        return withContext(sslContext(caPem, null, null));
    }

    /** Trusts the PEM CA and presents the PEM client certificate with its PKCS#8 key. */
    static HttpClient withClientCert(Path caPem, Path certPem, Path pkcs8KeyPem) throws Exception {
        return withContext(sslContext(caPem, certPem, pkcs8KeyPem));
    }

    static HttpResponse<String> get(HttpClient client, String endpoint, String path, Duration timeout)
            throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(HttpClient client, String endpoint, String path, String json, String token)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    static boolean healthy(HttpClient client, String endpoint) {
        try {
            HttpResponse<String> response = get(client, endpoint, "/health", Duration.ofSeconds(2));
            return response.statusCode() == 200 && "true".equals(json(response).path("health").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code /v3/maintenance/status} of one member. */
    static JsonNode status(HttpClient client, String endpoint) throws IOException, InterruptedException {
        HttpResponse<String> response = post(client, endpoint, "/v3/maintenance/status", "{}", null);
        if (response.statusCode() != 200) {
            throw new IOException("status failed: " + response.statusCode() + " " + response.body());
        }
        return json(response);
    }

    static String hexMemberId(JsonNode status) {
        return Long.toHexString(Long.parseUnsignedLong(status.path("header").path("member_id").asText()));
    }

    static String hexLeaderId(JsonNode status) {
        return Long.toHexString(Long.parseUnsignedLong(status.path("leader").asText("0")));
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    private static HttpClient withContext(SSLContext context) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2))
                .sslContext(context).build();
    }

    private static SSLContext sslContext(Path caPem, Path certPem, Path keyPem) throws Exception {
        CertificateFactory certificates = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            trust.setCertificateEntry("ca", certificates.generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (certPem != null) {
            Certificate cert;
            try (InputStream in = Files.newInputStream(certPem)) {
                cert = certificates.generateCertificate(in);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", readPkcs8(keyPem), "pw".toCharArray(), new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, "pw".toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    /** Reads a {@code BEGIN PRIVATE KEY} (PKCS#8) EC key with the JDK only; fails for any other format. */
    static PrivateKey readPkcs8(Path keyPem) throws Exception {
        String pem = Files.readString(keyPem, StandardCharsets.US_ASCII);
        if (!pem.startsWith("-----BEGIN PRIVATE KEY-----")) {
            throw new IllegalArgumentException(keyPem + " is not PKCS#8 PEM: " + pem.lines().findFirst().orElse(""));
        }
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Whether the process with this pid is still alive. */
    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
