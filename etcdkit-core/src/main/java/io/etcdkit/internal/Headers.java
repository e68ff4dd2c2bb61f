package io.etcdkit.internal;

import io.grpc.Metadata;

/** The request headers etcd understands. */
final class Headers {
    /** The auth token from {@code Authenticate}. */
    static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);
    /** Require-leader: a member without a leader refuses the request instead of serving or queueing it. */
    static final Metadata.Key<String> REQUIRE_LEADER =
            Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER);

    private Headers() {}

    static Metadata of(String token, boolean requireLeader) {
        Metadata h = new Metadata();
        if (token != null) {
            h.put(TOKEN, token);
        }
        if (requireLeader) {
            h.put(REQUIRE_LEADER, "true");
        }
        return h;
    }
}
