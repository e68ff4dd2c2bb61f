package io.etcdkit.recipes.workqueue;

import io.etcdkit.Bytes;

/**
 * An item that failed the queue's maximum number of attempts, kept under the queue's dead-letter prefix until it
 * is requeued ({@link WorkQueue#requeue(String)}) or deleted.
 *
 * @param id the item's id
 * @param payload its payload
 * @param attempts how many deliveries failed
 * @param lastError the error of the last one
 */
public record DeadLetter(String id, Bytes payload, int attempts, String lastError) {
}
