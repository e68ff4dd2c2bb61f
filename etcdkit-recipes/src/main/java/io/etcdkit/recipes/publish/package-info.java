/**
 * Publishing a stream of entries into etcd: {@link io.etcdkit.recipes.publish.LeasedPublisher} is a
 * {@link java.util.concurrent.Flow.Subscriber} that writes each entry it receives (one put per entry, in order per
 * key, with a bounded number of puts in flight), optionally under a lease kept alive while it publishes and revoked
 * when it is closed, so the published keys vanish at once. Every failure is reported (state, listener, completion
 * future); none is silent.
 */
package io.etcdkit.recipes.publish;
