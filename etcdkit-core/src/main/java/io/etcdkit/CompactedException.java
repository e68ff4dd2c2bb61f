package io.etcdkit;

/**
 * A read or watch asked for a revision that has been compacted away. Read at a newer revision (at least
 * {@link #compactRevision()}), or re-read the current state.
 */
public class CompactedException extends EtcdException {
    /** The revision etcd compacted to (0 when etcd did not say). */
    private final long compactRevision;

    /**
     * Creates the exception.
     *
     * @param message what was asked for
     * @param compactRevision the oldest revision still available, or 0 when the server did not say
     */
    public CompactedException(String message, long compactRevision) {
        super(message);
        this.compactRevision = compactRevision;
    }

    /**
     * The oldest revision still available, or 0 when the server did not say.
     *
     * @return the oldest revision still available, or 0 when the server did not say
     */
    public long compactRevision() {
        return compactRevision;
    }
}
