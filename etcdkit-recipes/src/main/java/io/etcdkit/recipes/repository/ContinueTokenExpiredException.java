package io.etcdkit.recipes.repository;

import io.etcdkit.CompactedException;

/**
 * A page was asked for with a continue token whose revision has been compacted away, so the listing can no
 * longer continue at that one consistent revision. Nothing is returned; start the listing again without a token
 * (and read the pages faster than the cluster compacts).
 */
public class ContinueTokenExpiredException extends CompactedException {
    /**
     * Creates the exception.
     *
     * @param revision the revision the token was pinned to
     * @param cause the compaction error of the read
     */
    public ContinueTokenExpiredException(long revision, CompactedException cause) {
        super("the continue token is pinned to revision " + revision + ", which has been compacted; start the "
                + "listing again without a token", cause.compactRevision());
        initCause(cause);
    }
}
