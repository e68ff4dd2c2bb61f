package io.etcdkit.recipes.workqueue;

/**
 * What {@link WorkQueue#add(NewItem)} did.
 *
 * @param id the item's id (for a dedup key, the id of the item already in the queue when {@code duplicate})
 * @param duplicate true when an item with the same dedup key was still in the queue, so nothing was added
 * @param revision the etcd revision of the add, or of the read that found the duplicate
 */
public record Added(String id, boolean duplicate, long revision) {
}
