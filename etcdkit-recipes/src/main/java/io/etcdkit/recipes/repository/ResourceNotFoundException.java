package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdException;

/**
 * The resource an update, delete or refresh was for does not exist: it was never created, was deleted, or
 * expired with its TTL. Nothing was written. Create it first, or treat it as gone.
 */
public class ResourceNotFoundException extends EtcdException {
    /** The id. */
    private final String id;

    /**
     * Creates the exception with the standard message.
     *
     * @param id the resource id
     */
    public ResourceNotFoundException(String id) {
        super("resource '" + id + "' does not exist (never created, deleted, or expired with its TTL). Nothing "
                + "was written; create it first");
        this.id = id;
    }

    /**
     * The resource id.
     *
     * @return the resource id
     */
    public String id() {
        return id;
    }
}
