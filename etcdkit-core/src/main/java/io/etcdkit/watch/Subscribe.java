package io.etcdkit.watch;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import java.util.Objects;

/**
 * A snapshot-then-watch subscription to a prefix: every key that exists (read in pages at one pinned
 * revision), then a {@link SnapshotCompleteEvent}, then live changes from that revision + 1 — nothing missed,
 * nothing doubled between the two phases. If the pinned revision is compacted before the last page, the snapshot
 * starts over at a new revision after a {@link SnapshotRestartedEvent} (drop what it delivered so far): before
 * {@link SnapshotCompleteEvent} it never delivers a delete or a key twice. Immutable.
 *
 * <pre>{@code
 * client.watches().subscribe(Subscribe.prefix("services/"), event -> ...);
 * }</pre>
 */
public final class Subscribe {
    private final Bytes prefix;
    private final int pageSize;
    private final long fromRevision;
    private final boolean keysOnly;
    private final boolean previousValues;
    private final int bufferSize;

    private Subscribe(Bytes prefix, int pageSize, long fromRevision, boolean keysOnly, boolean previousValues,
            int bufferSize) {
        this.prefix = prefix;
        this.pageSize = pageSize;
        this.fromRevision = fromRevision;
        this.keysOnly = keysOnly;
        this.previousValues = previousValues;
        this.bufferSize = bufferSize;
    }

    /**
     * Subscribes to every key under {@code prefix}.
     *
     * @param prefix the key prefix
     * @return a {@code Subscribe} that subscribes to every key under {@code prefix}
     */
    public static Subscribe prefix(String prefix) {
        return prefix(Bytes.of(prefix));
    }

    /**
     * Subscribes to every key under {@code prefix}.
     *
     * @param prefix the key prefix
     * @return a {@code Subscribe} that subscribes to every key under {@code prefix}
     */
    public static Subscribe prefix(Bytes prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new Subscribe(prefix, 1000, 0, false, false, 1024);
    }

    /**
     * Keys per snapshot page (default 1000); pages keep every response under the message-size limits.
     *
     * @param keys the keys
     * @return keys per snapshot page (default 1000); pages keep every response under the message-size limits
     */
    public Subscribe pageSize(int keys) {
        if (keys < 1) {
            throw new InvalidArgumentException("pageSize must be at least 1, got " + keys);
        }
        return new Subscribe(prefix, keys, fromRevision, keysOnly, previousValues, bufferSize);
    }

    /**
     * Reads the snapshot at {@code revision} instead of the latest (it must not be compacted).
     *
     * @param revision the revision
     * @return a {@code Subscribe} that reads the snapshot at {@code revision} instead of the latest (it must not be compacted)
     */
    public Subscribe atRevision(long revision) {
        if (revision < 0) {
            throw new InvalidArgumentException("revision must be 0 (latest) or positive, got " + revision);
        }
        return new Subscribe(prefix, pageSize, revision, keysOnly, previousValues, bufferSize);
    }

    /**
     * Delivers keys and metadata without values.
     *
     * @return a {@code Subscribe} that delivers keys and metadata without values
     */
    public Subscribe keysOnly() {
        return new Subscribe(prefix, pageSize, fromRevision, true, previousValues, bufferSize);
    }

    /**
     * Delivers the previous value with live changes.
     *
     * @return a {@code Subscribe} that delivers the previous value with live changes
     */
    public Subscribe withPreviousValues() {
        return new Subscribe(prefix, pageSize, fromRevision, keysOnly, true, bufferSize);
    }

    /**
     * Events held for a slow consumer before the live watch pauses (see {@link Watch#bufferSize(int)}).
     *
     * @param events the events
     * @return a {@code Subscribe} that events held for a slow consumer before the live watch pauses (see {@link Watch#bufferSize(int)})
     */
    public Subscribe bufferSize(int events) {
        if (events < 1) {
            throw new InvalidArgumentException("bufferSize must be at least 1, got " + events);
        }
        return new Subscribe(prefix, pageSize, fromRevision, keysOnly, previousValues, events);
    }

    /**
     * The prefix.
     *
     * @return the prefix
     */
    public Bytes prefixBytes() {
        return prefix;
    }

    /**
     * Keys per page.
     *
     * @return keys per page
     */
    public int pageKeys() {
        return pageSize;
    }

    /**
     * The snapshot revision asked for, 0 for the latest.
     *
     * @return the snapshot revision asked for, 0 for the latest
     */
    public long revision() {
        return fromRevision;
    }

    /**
     * Whether values are left out.
     *
     * @return whether values are left out
     */
    public boolean isKeysOnly() {
        return keysOnly;
    }

    /**
     * Whether previous values are delivered with live changes.
     *
     * @return whether previous values are delivered with live changes
     */
    public boolean previousValues() {
        return previousValues;
    }

    /**
     * The buffer size in events.
     *
     * @return the buffer size in events
     */
    public int bufferEvents() {
        return bufferSize;
    }
}
