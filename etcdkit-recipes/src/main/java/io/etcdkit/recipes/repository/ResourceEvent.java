package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdException;
import io.etcdkit.codec.ValueDecodingException;
import java.util.Optional;

/**
 * What a {@link Repository#watch repository watch} delivers: a change of a resource ({@link Created},
 * {@link Updated}, {@link Deleted}, or {@link Unreadable} when a stored value cannot be decoded), or a change of
 * the watch itself, exactly as the client's watch reports it ({@link Connected}, {@link Disconnected},
 * {@link Resumed}, {@link Progress}, and the last events {@link Compacted} and {@link Ended}).
 *
 * <p>Events arrive one at a time, in revision order, on the client's callback executor. Nothing is dropped: a
 * value that cannot be decoded is an {@link Unreadable} event, and history the watch can no longer deliver is a
 * {@link Compacted} event. Quota bookkeeping keys never appear.
 *
 * @param <T> the value type
 */
public sealed interface ResourceEvent<T> {

    /**
     * A resource was created.
     *
     * @param resource the resource as created; its version is the event's revision
     * @param <T> the value type
     */
    record Created<T>(Versioned<T> resource) implements ResourceEvent<T> {
    }

    /**
     * A resource was updated.
     *
     * @param resource the resource after the update; its version is the event's revision
     * @param <T> the value type
     */
    record Updated<T>(Versioned<T> resource) implements ResourceEvent<T> {
    }

    /**
     * A resource was deleted, or expired with its TTL (etcd does not tell the two apart).
     *
     * @param id the resource id
     * @param revision the revision of the delete
     * @param last the resource's last version, when it could be decoded
     * @param <T> the value type
     */
    record Deleted<T>(String id, long revision, Optional<Versioned<T>> last) implements ResourceEvent<T> {
    }

    /**
     * A resource was created or updated with a value the repository's codec cannot read (written by another
     * tool or an incompatible version). The change is reported, not skipped; fix the writer.
     *
     * @param id the resource id
     * @param revision the revision of the change
     * @param error what was wrong with the value
     * @param <T> the value type
     */
    record Unreadable<T>(String id, long revision, ValueDecodingException error) implements ResourceEvent<T> {
    }

    /**
     * The watch is established; changes from {@code fromRevision} on will be delivered.
     *
     * @param fromRevision the first revision the watch delivers
     * @param <T> the value type
     */
    record Connected<T>(long fromRevision) implements ResourceEvent<T> {
    }

    /**
     * The watch's stream broke; no events arrive until {@link Resumed}, so state derived from the watch may be
     * stale meanwhile. Nothing is lost: the watch resumes where it stopped.
     *
     * @param cause what broke
     * @param <T> the value type
     */
    record Disconnected<T>(EtcdException cause) implements ResourceEvent<T> {
    }

    /**
     * The watch receives again after {@link Disconnected}, from {@code fromRevision}, with no event lost.
     *
     * @param fromRevision the first revision the resumed watch delivers
     * @param <T> the value type
     */
    record Resumed<T>(long fromRevision) implements ResourceEvent<T> {
    }

    /**
     * Every change up to {@code revision} has been delivered.
     *
     * @param revision the revision reached
     * @param <T> the value type
     */
    record Progress<T>(long revision) implements ResourceEvent<T> {
    }

    /**
     * The last event: changes between {@code requestedRevision} and {@code compactRevision} were compacted away
     * and can no longer be delivered. List the resources again and watch from the listing's revision + 1.
     *
     * @param compactRevision the oldest revision still available
     * @param requestedRevision the revision the watch needed next
     * @param <T> the value type
     */
    record Compacted<T>(long compactRevision, long requestedRevision) implements ResourceEvent<T> {
    }

    /**
     * The last event: the watch ended for another reason (refused by the server, or the client was closed).
     *
     * @param cause why it ended
     * @param <T> the value type
     */
    record Ended<T>(EtcdException cause) implements ResourceEvent<T> {
    }
}
