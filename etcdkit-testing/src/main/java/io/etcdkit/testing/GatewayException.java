package io.etcdkit.testing;

/**
 * A call to etcd's JSON gRPC gateway failed: the transport failed, or etcd answered with an error object
 * ({@code {"error":...,"code":...}}). Immutable.
 */
final class GatewayException extends Exception {

    private final int grpcCode;

    GatewayException(String message, int grpcCode, Throwable cause) {
        super(message, cause);
        this.grpcCode = grpcCode;
    }

    /** The gRPC status code etcd reported, or {@code -1} if the call failed before etcd answered. */
    int grpcCode() {
        return grpcCode;
    }
}
