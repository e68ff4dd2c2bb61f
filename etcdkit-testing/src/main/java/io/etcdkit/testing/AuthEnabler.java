package io.etcdkit.testing;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Turns on etcd authentication through the JSON gateway, the way {@code etcdctl} does it on etcd 3.4:
 * add the role {@code root} (etcd 3.4 does not create it), add the user {@code root}, grant it the role
 * {@code root}, enable auth, then prove it by authenticating. Stateless and thread-safe.
 */
final class AuthEnabler {

    /** The user (and role) etcd requires before auth can be enabled. */
    static final String ROOT = "root";

    private static final int ALREADY_EXISTS = 9;

    private AuthEnabler() {
    }

    /**
     * Enables auth on the cluster reachable at {@code endpoint}.
     *
     * @throws GatewayException if any step fails
     */
    static void enable(GatewayClient gateway, String endpoint, String rootPassword, Duration timeout)
            throws GatewayException {
        try {
            gateway.post(endpoint, "/v3/auth/role/add", Map.of("name", ROOT), Optional.empty(), timeout);
        } catch (GatewayException e) {
            if (e.grpcCode() != ALREADY_EXISTS) {
                throw e;
            }
        }
        gateway.post(endpoint, "/v3/auth/user/add", Map.of("name", ROOT, "password", rootPassword),
                Optional.empty(), timeout);
        gateway.post(endpoint, "/v3/auth/user/grant", Map.of("user", ROOT, "role", ROOT), Optional.empty(), timeout);
        gateway.post(endpoint, "/v3/auth/enable", Map.of(), Optional.empty(), timeout);
        authenticate(gateway, endpoint, rootPassword, timeout);
    }

    /**
     * Obtains a token for {@code root}.
     *
     * @throws GatewayException if authentication fails
     */
    static String authenticate(GatewayClient gateway, String endpoint, String rootPassword, Duration timeout)
            throws GatewayException {
        JsonNode answer = gateway.post(endpoint, "/v3/auth/authenticate",
                Map.of("name", ROOT, "password", rootPassword), Optional.empty(), timeout);
        String token = answer.path("token").asText("");
        if (token.isEmpty()) {
            throw new GatewayException("etcd returned no token for user root: " + answer, -1, null);
        }
        return token;
    }
}
