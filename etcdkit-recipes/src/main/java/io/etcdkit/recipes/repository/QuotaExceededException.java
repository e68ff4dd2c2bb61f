package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdException;

/**
 * A create would have put more resources under the repository than its quota allows. Nothing was written.
 * Delete resources (a deleted or expired resource frees its place at once) or raise the quota; every client of
 * the repository must be built with the same quota.
 */
public class QuotaExceededException extends EtcdException {
    /** The quota. */
    private final int quota;
    /** The in use. */
    private final int inUse;
    /** The requested. */
    private final int requested;

    /**
     * Creates the exception with the standard message.
     *
     * @param root the repository's prefix
     * @param quota the quota
     * @param inUse how many resources held a place when the create was tried
     * @param requested how many places the create needed (more than one for a batch)
     */
    public QuotaExceededException(String root, int quota, int inUse, int requested) {
        super("the repository under '" + root + "' allows at most " + quota + " resources and " + inUse
                + " exist; creating " + requested + " more would exceed the quota. Nothing was written; delete "
                + "resources or raise the quota (all clients must use the same quota)");
        this.quota = quota;
        this.inUse = inUse;
        this.requested = requested;
    }

    /**
     * The quota: the most resources the repository may hold.
     *
     * @return the quota: the most resources the repository may hold
     */
    public int quota() {
        return quota;
    }

    /**
     * How many resources held a place when the create was tried.
     *
     * @return how many resources held a place when the create was tried
     */
    public int inUse() {
        return inUse;
    }

    /**
     * How many new resources the create needed room for.
     *
     * @return how many new resources the create needed room for
     */
    public int requested() {
        return requested;
    }
}
