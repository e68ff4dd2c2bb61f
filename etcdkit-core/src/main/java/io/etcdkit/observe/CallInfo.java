package io.etcdkit.observe;

import java.util.Objects;

/**
 * What a listener learns when a call starts.
 *
 * @param service the etcd service, as in its protocol: {@code KV}, {@code Lease}, {@code Cluster},
 *     {@code Maintenance} or {@code Auth}
 * @param method the method of that service, as in etcd's protocol: {@code Range}, {@code Put},
 *     {@code DeleteRange}, {@code Txn}, {@code Compact}, {@code LeaseGrant}, {@code Status}, ...
 * @param write whether the call changes state (puts, deletes, transactions with writes, grants, revokes, member
 *     changes); a write is retried only when it surely was not applied
 */
public record CallInfo(String service, String method, boolean write) {
    /**
     * Checks that both names are given.
     *
     * @param service the gRPC service name
     * @param method the gRPC method name
     * @param write whether the call changes data (a put, delete or write transaction)
     */
    public CallInfo {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(method, "method");
    }

    /**
     * {@code service/method}, e.g. {@code KV/Put}.
     *
     * @return {@code service/method}, e.g
     */
    public String fullName() {
        return service + "/" + method;
    }
}
