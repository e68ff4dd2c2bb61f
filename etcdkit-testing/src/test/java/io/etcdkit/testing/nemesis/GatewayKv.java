package io.etcdkit.testing.nemesis;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test-side puts and serializable reads through one member's JSON gateway, each bounded by a timeout. */
final class GatewayKv {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(1)).build();

    private GatewayKv() {
    }

    /** Whether a put through {@code endpoint} succeeded within {@code timeout}. */
    static boolean put(String endpoint, String key, String value, Duration timeout) {
        return post(endpoint, "/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value) + "\"}", timeout)
                .isPresent();
    }

    /** The value of {@code key} as the member itself has it (serializable read), or empty if absent or no answer. */
    static Optional<String> localValue(String endpoint, String key, Duration timeout) {
        return post(endpoint, "/v3/kv/range", "{\"key\":\"" + b64(key) + "\",\"serializable\":true}", timeout)
                .flatMap(json -> {
                    JsonNode kvs = json.path("kvs");
                    return kvs.isArray() && kvs.size() > 0
                            ? Optional.of(new String(Base64.getDecoder().decode(kvs.get(0).path("value").asText()),
                                    StandardCharsets.UTF_8))
                            : Optional.empty();
                });
    }

    /** The store revision the member itself has applied (serializable read), or empty when it does not answer. */
    static OptionalLong localRevision(String endpoint, Duration timeout) {
        return post(endpoint, "/v3/kv/range", "{\"key\":\"" + b64("\0") + "\",\"serializable\":true}", timeout)
                .map(json -> OptionalLong.of(json.path("header").path("revision").asLong()))
                .orElse(OptionalLong.empty());
    }

    /** Grants a lease of {@code ttlSeconds} through {@code endpoint}; its id, or empty on failure. */
    static Optional<String> grantLease(String endpoint, long ttlSeconds, Duration timeout) {
        return post(endpoint, "/v3/lease/grant", "{\"TTL\":" + ttlSeconds + "}", timeout)
                .map(json -> Long.toHexString(Long.parseUnsignedLong(json.path("ID").asText())));
    }

    /** The members as {@code endpoint} lists them: id in hex to name (empty name: added, not started). */
    static java.util.Map<String, String> members(String endpoint, Duration timeout) {
        java.util.Map<String, String> members = new java.util.TreeMap<>();
        post(endpoint, "/v3/cluster/member/list", "{}", timeout).ifPresent(json -> json.path("members")
                .forEach(m -> members.put(Long.toHexString(Long.parseUnsignedLong(m.path("ID").asText())),
                        m.path("name").asText(""))));
        return members;
    }

    private static Optional<JsonNode> post(String endpoint, String path, String body, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(timeout)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
