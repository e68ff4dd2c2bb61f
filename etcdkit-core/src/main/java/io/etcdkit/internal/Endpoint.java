package io.etcdkit.internal;

import io.etcdkit.InvalidConfigurationException;
import java.net.URI;

/**
 * One etcd member's client address, parsed from {@code http://host:port}, {@code https://host:port} or
 * {@code host:port} (plain text).
 *
 * @param host host name or IP literal
 * @param port TCP port
 * @param tls whether the member is reached over TLS
 */
public record Endpoint(String host, int port, boolean tls) {
    /** Parses an endpoint; a malformed one is an {@link InvalidConfigurationException} naming it. */
    public static Endpoint parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            throw new InvalidConfigurationException("an endpoint is empty; give endpoints as http://host:port "
                    + "or https://host:port, e.g. http://127.0.0.1:2379");
        }
        if (!t.contains("://")) {
            t = "http://" + t;
        }
        URI uri;
        try {
            uri = URI.create(t);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException("endpoint '" + text + "' is not a valid URL; use "
                    + "http://host:port or https://host:port", e);
        }
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new InvalidConfigurationException("endpoint '" + text + "' has scheme '" + scheme
                    + "'; use http:// (plain text) or https:// (TLS)");
        }
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new InvalidConfigurationException("endpoint '" + text + "' needs a host and a port, "
                    + "e.g. http://127.0.0.1:2379");
        }
        if (uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new InvalidConfigurationException("endpoint '" + text + "' has port " + uri.getPort()
                    + ", outside 1-65535; etcd's client port is 2379 by default, e.g. http://127.0.0.1:2379");
        }
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Endpoint(host, uri.getPort(), scheme.equals("https"));
    }

    /** The endpoint as a URL, as the user would write it. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (tls ? "https://" : "http://") + h + ":" + port;
    }
}
