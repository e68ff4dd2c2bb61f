package io.etcdkit.internal;

import java.time.Duration;

/**
 * What one client view adds to the shared {@link Transport}: its namespace and its default deadline. Views
 * derived with {@code withNamespace}/{@code withDeadline} share the transport.
 *
 * @param transport the shared connection
 * @param namespace the key prefix of this view
 * @param deadline the default deadline of this view's calls
 */
public record ClientContext(Transport transport, Namespace namespace, Duration deadline) {
}
