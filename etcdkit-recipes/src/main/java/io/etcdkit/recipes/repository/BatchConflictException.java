package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A {@link Batch} was not applied because some of its resources were not in the state it required. <b>Nothing of
 * the batch was written.</b> {@link #conflicts()} lists every conflicting resource with the version it had; re-read
 * them, rebuild the batch and commit again.
 */
public class BatchConflictException extends EtcdException {
    private final transient List<Conflict> conflicts;

    /**
     * One resource of a batch that was not in the required state.
     *
     * @param id the resource id
     * @param expectedVersion the version the batch required: 0 for a create (the resource must not exist)
     * @param currentVersion the version found: 0 when the resource does not exist
     */
    public record Conflict(String id, long expectedVersion, long currentVersion) {
        /** A short description: {@code 'a' (expected absent, found version 5)}. */
        @Override
        public String toString() {
            return "'" + id + "' (expected " + (expectedVersion == 0 ? "absent" : "version " + expectedVersion)
                    + ", found " + (currentVersion == 0 ? "absent" : "version " + currentVersion) + ")";
        }
    }

    /**
     * Creates the exception with the standard message.
     *
     * @param writes the number of writes in the batch
     * @param conflicts the conflicting resources, at least one
     */
    public BatchConflictException(int writes, List<Conflict> conflicts) {
        super("the batch of " + writes + " writes was not applied: " + conflicts.size() + " of its resources "
                + "conflict: " + conflicts.stream().map(Conflict::toString).collect(Collectors.joining(", "))
                + ". Nothing was written; re-read these resources and retry");
        this.conflicts = List.copyOf(conflicts);
    }

    /**
     * Every conflicting resource, in batch order.
     *
     * @return every conflicting resource, in batch order
     */
    public List<Conflict> conflicts() {
        return conflicts;
    }
}
