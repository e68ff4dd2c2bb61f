package io.etcdkit.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Talks to etcd 3.4's JSON gRPC gateway on a member's client URL with the JDK HTTP client: {@code GET /health},
 * {@code POST /v3/maintenance/status} and arbitrary {@code POST /v3/...} calls used to set up auth.
 *
 * <p>Uses HTTP/1.1 only. Every call has a timeout. Thread-safe; one instance per cluster.
 */
final class GatewayClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

    private final HttpClient http;

    /**
     * @param tls the TLS context for https endpoints, or empty for plain http
     */
    GatewayClient(Optional<SSLContext> tls) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT);
        tls.ifPresent(builder::sslContext);
        this.http = builder.build();
    }

    /**
     * Whether {@code GET <endpoint>/health} answers {@code {"health":"true"}} within {@code timeout}.
     * Never throws: any failure means "not healthy".
     */
    boolean isHealthy(String endpoint, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/health")).timeout(timeout).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    && "true".equals(JSON.readTree(response.body()).path("health").asText());
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The member's own status, or empty if it did not answer within {@code timeout}. Never throws.
     */
    Optional<MemberStatus> status(String endpoint, Duration timeout) {
        try {
            JsonNode body = post(endpoint, "/v3/maintenance/status", Map.of(), Optional.empty(), timeout);
            long memberId = Long.parseUnsignedLong(body.path("header").path("member_id").asText("0"));
            long leaderId = Long.parseUnsignedLong(body.path("leader").asText("0"));
            long term = Long.parseUnsignedLong(body.path("raftTerm").asText("0"));
            return Optional.of(new MemberStatus(memberId, leaderId, term));
        } catch (GatewayException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Posts {@code body} as JSON to {@code endpoint + path}.
     *
     * @param token an auth token for the {@code Authorization} header, or empty
     * @return the parsed JSON answer of a successful call
     * @throws GatewayException if the call fails or etcd answers with an error object
     */
    JsonNode post(String endpoint, String path, Object body, Optional<String> token, Duration timeout)
            throws GatewayException {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint + path))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            token.ifPresent(t -> request.header("Authorization", t));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
            if (response.statusCode() != 200 || json.has("error")) {
                int code = json.path("code").asInt(-1);
                throw new GatewayException("POST " + endpoint + path + " failed with HTTP " + response.statusCode()
                        + ": " + json.path("message").asText(response.body()), code, null);
            }
            return json;
        } catch (IOException e) {
            throw new GatewayException("POST " + endpoint + path + " failed: " + e, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayException("Interrupted during POST " + endpoint + path, -1, e);
        }
    }
}
