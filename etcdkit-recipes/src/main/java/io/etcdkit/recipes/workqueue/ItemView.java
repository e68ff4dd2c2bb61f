package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;

/**
 * One item of a work queue as {@link WorkQueue#items(int)} lists it.
 *
 * @param id the item's id
 * @param payload its payload
 * @param attempts how many deliveries failed so far
 * @param lastError the last failure, empty if none
 * @param claimed whether a consumer holds it now
 * @param visibleAtMillis when it becomes visible (epoch millis), 0 if at once
 */
public record ItemView(String id, Bytes payload, int attempts, String lastError, boolean claimed,
        long visibleAtMillis) {
}
