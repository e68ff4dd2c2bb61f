package io.etcdkit.recipes.repository;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, read at one revision.
 *
 * @param items the resources of this page, in id order (byte order of their UTF-8 ids)
 * @param revision the etcd revision every page of this listing is read at; watch from {@code revision + 1} to
 *     follow the changes after the listing
 * @param continueToken where the next page starts, or empty when this is the last page. Opaque; pass it to
 *     {@link Repository#listPage(LabelSelector, int, String)}. The next page is read at the same revision, so
 *     writes made meanwhile do not show; a token whose revision has been compacted meanwhile fails with
 *     {@link ContinueTokenExpiredException}. A next page may be empty when no further resource matches.
 * @param <T> the value type
 */
public record Page<T>(List<Versioned<T>> items, long revision, Optional<String> continueToken) {
    /**
     * Copies the list.
     *
     * @param items the items
     * @param revision the revision
     * @param continueToken the continue token
     */
    public Page {
        items = List.copyOf(items);
    }

    /**
     * Whether a next page may hold more resources.
     *
     * @return whether a next page may hold more resources
     */
    public boolean hasMore() {
        return continueToken.isPresent();
    }
}
