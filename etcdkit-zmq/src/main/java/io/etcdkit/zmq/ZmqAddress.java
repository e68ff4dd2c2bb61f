package io.etcdkit.zmq;

import io.etcdkit.InvalidArgumentException;
import java.util.Objects;

/**
 * A ZeroMQ TCP endpoint, written {@code tcp://host:port}: where a {@link ZmqPublisher} binds, and what it registers
 * and subscribers connect to. Immutable; equal when host and port are equal.
 *
 * <p>For binding, the host may be {@code *} or {@code 0.0.0.0} (every interface) and the port {@code 0} (any free
 * port; the publisher reports the one it got). An IPv6 host is written in brackets: {@code tcp://[::1]:5556}.
 *
 * @param host a host name or IP address, non-empty, as it is written inside the endpoint
 * @param port 0 to 65535; 0 only makes sense for binding
 */
public record ZmqAddress(String host, int port) {
    private static final String SCHEME = "tcp://";

    /**
     * Validates.
     *
     * @param host the host
     * @param port the port
     */
    public ZmqAddress {
        Objects.requireNonNull(host, "host");
        if (host.isEmpty() || host.indexOf('/') >= 0 || host.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidArgumentException("a ZeroMQ address needs a host without '/' or spaces, got '" + host
                    + "'; write it as tcp://host:port");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidArgumentException("a ZeroMQ address needs a port from 0 to 65535, got " + port
                    + " (host " + host + ")");
        }
    }

    /**
     * The address {@code tcp://host:port}.
     *
     * @param host the host
     * @param port the port
     * @return the address {@code tcp://host:port}
     */
    public static ZmqAddress tcp(String host, int port) {
        return new ZmqAddress(host, port);
    }

    /**
     * Parses {@code tcp://host:port}.
     *
     * @param endpoint the member's endpoint URL
     * @return a {@code ZmqAddress} that parses {@code tcp://host:port}
     * @throws InvalidArgumentException when the text is not of that form (other transports such as {@code ipc://}
     *     are not supported)
     */
    public static ZmqAddress parse(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        if (!endpoint.startsWith(SCHEME)) {
            throw new InvalidArgumentException("a ZeroMQ address must look like tcp://host:port, got '" + endpoint
                    + "' (only the tcp transport is supported)");
        }
        String rest = endpoint.substring(SCHEME.length());
        int colon = rest.lastIndexOf(':');
        if (colon <= 0 || colon == rest.length() - 1) {
            throw new InvalidArgumentException("a ZeroMQ address must look like tcp://host:port, got '" + endpoint
                    + "' (host or port missing)");
        }
        String portText = rest.substring(colon + 1);
        int port;
        if (portText.equals("*")) {
            port = 0;
        } else {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new InvalidArgumentException("a ZeroMQ address must end in a numeric port, got '" + endpoint
                        + "'", e);
            }
        }
        return new ZmqAddress(rest.substring(0, colon), port);
    }

    /**
     * Whether the host means "every interface" ({@code *} or {@code 0.0.0.0}); such an address cannot be dialled.
     *
     * @return whether the host means "every interface" ({@code *} or {@code 0.0.0.0}); such an address cannot be dialled
     */
    public boolean isWildcardHost() {
        return host.equals("*") || host.equals("0.0.0.0") || host.equals("[::]");
    }

    /**
     * The endpoint text {@code tcp://host:port}, as ZeroMQ and the service registry take it.
     *
     * @return the endpoint text {@code tcp://host:port}, as ZeroMQ and the service registry take it
     */
    public String endpoint() {
        return SCHEME + host + ":" + port;
    }

    /** The endpoint for binding: a port of 0 is written {@code *} (ZeroMQ's "any free port"). */
    String bindEndpoint() {
        return SCHEME + host + ":" + (port == 0 ? "*" : Integer.toString(port));
    }

    /** {@link #endpoint()}. */
    @Override
    public String toString() {
        return endpoint();
    }
}
