package io.etcdkit.recipes.repository;

/**
 * A create found the resource already there. Nothing was written. Use {@link Repository#update} to change the
 * existing resource (its version is {@link #currentVersion()}), or delete it first.
 */
public class ResourceExistsException extends ResourceConflictException {
    /**
     * Creates the exception with the standard message.
     *
     * @param id the resource id
     * @param currentVersion the existing resource's version
     */
    public ResourceExistsException(String id, long currentVersion) {
        super("resource '" + id + "' already exists (version " + currentVersion + "). Nothing was written; use "
                + "update(..) to change it, or delete it first", id, currentVersion);
    }
}
