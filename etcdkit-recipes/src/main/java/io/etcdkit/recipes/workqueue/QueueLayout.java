package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;

/**
 * Where a work queue keeps its keys, all under {@code etcdkit/workqueue/<name>/} (the queue owns that prefix; no
 * user data lives there):
 * <ul>
 *   <li>{@code items/<id>}: the item itself (payload, attempts, last error); deleted by the acknowledgement;</li>
 *   <li>{@code pending/<id>}: present while the item waits for a consumer; its value is the instant (epoch
 *       millis) it becomes visible; ids begin with the add time, so a range read in key order (which etcd limits
 *       without reading the whole prefix) gives the oldest first;</li>
 *   <li>{@code claims/<id>}: present while a consumer holds the item, attached to the consumer's session lease;
 *       its create revision is the claim's fencing token;</li>
 *   <li>{@code dedup/<key>}: the id of the item added with that dedup key, while it is in the queue;</li>
 *   <li>{@code adds/<id>}: a marker written with each add under a short-lived lease (about a minute), so that
 *       repeating an add whose answer was lost cannot add the item again after it was already processed;</li>
 *   <li>{@code dead/<id>}: an item that failed the queue's maximum number of attempts, with its last error;</li>
 *   <li>{@code waiters/<random>}: a consumer waiting for work, under its session's lease; every item queued wakes
 *       the oldest waiter (lowest create revision) not woken yet, whichever process it is in.</li>
 * </ul>
 * Invariant kept by every transaction: an item under {@code items/} has exactly one of {@code pending/} and
 * {@code claims/}, except after its claim's lease expired (neither), which recovery repairs.
 */
record QueueLayout(String name, Bytes root) {
    static final String ROOT = "etcdkit/workqueue/";

    static QueueLayout of(String name) {
        return new QueueLayout(name, Bytes.of(ROOT + name + "/"));
    }

    Bytes items() {
        return root.concat(Bytes.of("items/"));
    }

    Bytes pending() {
        return root.concat(Bytes.of("pending/"));
    }

    Bytes claims() {
        return root.concat(Bytes.of("claims/"));
    }

    Bytes dead() {
        return root.concat(Bytes.of("dead/"));
    }

    Bytes dedup(String key) {
        return root.concat(Bytes.of("dedup/")).concat(Bytes.of(key));
    }

    Bytes addMarker(String id) {
        return root.concat(Bytes.of("adds/")).concat(Bytes.of(id));
    }

    Bytes waiters() {
        return root.concat(Bytes.of("waiters/"));
    }

    Bytes waiter(String token) {
        return waiters().concat(Bytes.of(token));
    }

    Bytes item(String id) {
        return items().concat(Bytes.of(id));
    }

    Bytes pending(String id) {
        return pending().concat(Bytes.of(id));
    }

    Bytes claim(String id) {
        return claims().concat(Bytes.of(id));
    }

    Bytes dead(String id) {
        return dead().concat(Bytes.of(id));
    }

    /** The item id of a key under one of the sub-prefixes, or null if the key is not one of the queue's. */
    String idOf(Bytes key, Bytes subPrefix) {
        return key.startsWith(subPrefix) ? key.substring(subPrefix.size()).toStringUtf8() : null;
    }
}
