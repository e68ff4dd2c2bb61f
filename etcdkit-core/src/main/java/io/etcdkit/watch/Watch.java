package io.etcdkit.watch;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.kv.Range;

/**
 * What to watch: a key, a prefix or a range, from a revision or from now, with options. Immutable.
 *
 * <pre>{@code
 * client.watches().watch(Watch.prefix("config/").fromRevision(rev + 1).withPreviousValues(), listener);
 * }</pre>
 */
public final class Watch {
    private final Range range;
    private final long fromRevision;
    private final boolean previousValues;
    private final boolean puts;
    private final boolean deletes;
    private final boolean progress;
    private final int bufferSize;

    private Watch(Range range, long fromRevision, boolean previousValues, boolean puts, boolean deletes,
            boolean progress, int bufferSize) {
        this.range = range;
        this.fromRevision = fromRevision;
        this.previousValues = previousValues;
        this.puts = puts;
        this.deletes = deletes;
        this.progress = progress;
        this.bufferSize = bufferSize;
    }

    private static Watch of(Range range) {
        return new Watch(range, 0, false, true, true, false, 1024);
    }

    /**
     * Watches one key.
     *
     * @param key the key
     * @return a {@code Watch} that watches one key
     */
    public static Watch key(String key) {
        return of(Range.key(key));
    }

    /**
     * Watches one key.
     *
     * @param key the key
     * @return a {@code Watch} that watches one key
     */
    public static Watch key(Bytes key) {
        return of(Range.key(key));
    }

    /**
     * Watches every key under {@code prefix} (the empty prefix watches every key).
     *
     * @param prefix the key prefix
     * @return a {@code Watch} that watches every key under {@code prefix} (the empty prefix watches every key)
     */
    public static Watch prefix(String prefix) {
        return of(Range.prefix(prefix));
    }

    /**
     * Watches every key under {@code prefix}.
     *
     * @param prefix the key prefix
     * @return a {@code Watch} that watches every key under {@code prefix}
     */
    public static Watch prefix(Bytes prefix) {
        return of(Range.prefix(prefix));
    }

    /**
     * Watches the keys in {@code [from, to)}.
     *
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return a {@code Watch} that watches the keys in {@code [from, to)}
     */
    public static Watch between(String from, String to) {
        return of(Range.between(from, to));
    }

    /**
     * Watches the keys in {@code [from, to)}.
     *
     * @param from the first key of the range (inclusive)
     * @param to the end of the range (exclusive)
     * @return a {@code Watch} that watches the keys in {@code [from, to)}
     */
    public static Watch between(Bytes from, Bytes to) {
        return of(Range.between(from, to));
    }

    /**
     * Watches the keys of a {@link Range} (its read options are ignored).
     *
     * @param range the range to read
     * @return a {@code Watch} that watches the keys of a {@link Range} (its read options are ignored)
     */
    public static Watch range(Range range) {
        return of(range);
    }

    /**
     * Starts at {@code revision}: events of that revision and later are delivered, including ones already
     * written. 0 (the default) means "changes after now". A compacted revision ends the watch with a
     * {@link CompactedEvent}.
     *
     * @param revision the revision
     * @return a {@code Watch} that starts at {@code revision}: events of that revision and later are delivered, including ones already written
     */
    public Watch fromRevision(long revision) {
        if (revision < 0) {
            throw new InvalidArgumentException("fromRevision must be 0 (now) or positive, got " + revision);
        }
        return new Watch(range, revision, previousValues, puts, deletes, progress, bufferSize);
    }

    /**
     * Delivers each key's previous value with its event.
     *
     * @return a {@code Watch} that delivers each key's previous value with its event
     */
    public Watch withPreviousValues() {
        return new Watch(range, fromRevision, true, puts, deletes, progress, bufferSize);
    }

    /**
     * Leaves out put events.
     *
     * @return a {@code Watch} that leaves out put events
     */
    public Watch withoutPuts() {
        return new Watch(range, fromRevision, previousValues, false, deletes, progress, bufferSize);
    }

    /**
     * Leaves out delete events.
     *
     * @return a {@code Watch} that leaves out delete events
     */
    public Watch withoutDeletes() {
        return new Watch(range, fromRevision, previousValues, puts, false, progress, bufferSize);
    }

    /**
     * Asks the server for periodic {@link ProgressEvent}s while nothing changes.
     *
     * @return a {@code Watch} that asks the server for periodic {@link ProgressEvent}s while nothing changes
     */
    public Watch withProgressNotifications() {
        return new Watch(range, fromRevision, previousValues, puts, deletes, true, bufferSize);
    }

    /**
     * How many delivered-but-unconsumed events the watcher holds before it stops its server-side watch until the
     * consumer catches up (then it resumes from the next revision; nothing is lost). Default 1024.
     *
     * @param events the events
     * @return how many delivered-but-unconsumed events the watcher holds before it stops its server-side watch until the consumer catches up (then it resumes from the next revision; nothing is lost)
     */
    public Watch bufferSize(int events) {
        if (events < 1) {
            throw new InvalidArgumentException("bufferSize must be at least 1, got " + events);
        }
        return new Watch(range, fromRevision, previousValues, puts, deletes, progress, events);
    }

    /**
     * The keys watched.
     *
     * @return the keys watched
     */
    public Range range() {
        return range;
    }

    /**
     * The first revision delivered, 0 for "from now".
     *
     * @return the first revision delivered, 0 for "from now"
     */
    public long startRevision() {
        return fromRevision;
    }

    /**
     * Whether previous values are delivered.
     *
     * @return whether previous values are delivered
     */
    public boolean previousValues() {
        return previousValues;
    }

    /**
     * Whether put events are delivered.
     *
     * @return whether put events are delivered
     */
    public boolean includesPuts() {
        return puts;
    }

    /**
     * Whether delete events are delivered.
     *
     * @return whether delete events are delivered
     */
    public boolean includesDeletes() {
        return deletes;
    }

    /**
     * Whether progress notifications are asked for.
     *
     * @return whether progress notifications are asked for
     */
    public boolean progressNotifications() {
        return progress;
    }

    /**
     * The buffer size in events.
     *
     * @return the buffer size in events
     */
    public int bufferEvents() {
        return bufferSize;
    }

    @Override
    public String toString() {
        return "watch of " + range + (fromRevision > 0 ? " from revision " + fromRevision : "");
    }
}
