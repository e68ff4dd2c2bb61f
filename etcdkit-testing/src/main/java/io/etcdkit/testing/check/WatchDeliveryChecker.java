package io.etcdkit.testing.check;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Judges one watch or subscription under faults: were acknowledged writes lost, events duplicated, reordered or
 * invented, and does the consumer's view end up equal to the store?
 *
 * <p><b>Recording.</b> The writer side records each write it got an acknowledgement for with
 * {@link #acknowledged} (key, revision from the response header, kind, value) and each write whose outcome is
 * unknown (timeout, "outcome unknown" error) with {@link #unknown}. The consumer records, in the order it sees
 * them, each delivered change with {@link #delivered} and the stream's markers: {@link #compacted},
 * {@link #resynced}, {@link #disconnected}, {@link #resumed}. A snapshot-then-watch subscription first records
 * its {@link #snapshot}. At the end, {@link #check} compares both sides within a revision window and with a fresh
 * read of the store.
 *
 * <p><b>What is judged</b> (see {@link Report}):
 * <ul>
 *   <li><i>lost</i>: an acknowledged write in the window that was never delivered at its (key, revision); or an
 *       unknown-outcome put that is in the store at the end but was never delivered. Writes in a compaction gap
 *       that a resync covered are excused when a later write to the same key (at or before the resync revision)
 *       superseded them, or, for a delete, when the consumer never had the key; otherwise the resync must have
 *       emitted them (same revision, or the same value for a put, or a delete of the key);</li>
 *   <li><i>duplicated</i>: the same (key, revision) delivered twice; an event at or below the snapshot revision
 *       (the snapshot already holds it); a write applied twice (an unexplained event repeating an acknowledged
 *       write's key and value, or an unknown-outcome write seen at more revisions than it was recorded);</li>
 *   <li><i>out of order</i>: a delivered revision lower than the previous delivered one (equal revisions are one
 *       transaction and fine). Events a resync emits are exempt, because a re-read reports each key at its own
 *       modification revision;</li>
 *   <li><i>unexpected</i>: a delivered event in the window that no acknowledged or unknown-outcome write explains,
 *       or whose kind or value differs from the write acknowledged at that (key, revision);</li>
 *   <li><i>view</i>: applying the snapshot and then every delivered event up to the window's end (puts set,
 *       deletes remove) does not give exactly the store's contents.</li>
 * </ul>
 *
 * <p><b>Resync.</b> After {@link #compacted} the consumer re-reads at some revision R, calls {@link #resynced}(R)
 * <em>before</em> emitting the difference as ordinary {@link #delivered} puts and deletes, then resumes the watch
 * at R + 1. Delivered events at or below R right after the marker belong to the resync; the first event above R
 * ends it. Resync events may carry the key's modification revision or R itself.
 *
 * <p><b>Writer rules.</b> Record a delete only if it deleted something (a delete of a missing key creates no
 * event); record each key a multi-key delete or transaction changed, all with the transaction's revision. Use
 * distinct values (e.g. with a sequence number), so that a write applied twice can be told from two writes.
 * A key that may vanish without a recorded delete (lease expiry) needs {@code unknown(key, null)} per expected
 * disappearance.
 *
 * <p><b>Threads and memory.</b> All methods are thread-safe; the writer and consumer sides use separate locks so
 * that they do not slow each other. {@link #check} may be called at any time and judges what was recorded up to
 * then. Each record takes about 17 bytes plus its value string, which is retained (keys are interned): a million
 * acknowledged writes plus a million deliveries with short distinct values retain about 150 MB, and
 * {@code check} judges them in well under a second. Reports keep at most {@link Findings#SAMPLE_LIMIT} samples
 * per kind.
 */
public final class WatchDeliveryChecker {

    /** The kind of a change. */
    public enum Kind {
        /** A key was created or updated. */
        PUT,
        /** A key was deleted. */
        DELETE;

        byte code() {
            return this == PUT ? EventLog.PUT : EventLog.DELETE;
        }
    }

    private final NameTable keys = new NameTable();
    private final EventLog acknowledged = new EventLog();
    private final EventLog unknown = new EventLog();
    /** Deliveries and markers in consumer order; its monitor also guards {@link #snapshot}. */
    private final EventLog stream = new EventLog();
    private Map<Integer, String> snapshot;
    private long snapshotRevision = -1;

    /** Creates an empty checker. */
    public WatchDeliveryChecker() {
    }

    /**
     * Records a write the writer got a success response for.
     *
     * @param key      the key written
     * @param revision the revision in the response header (for a transaction, shared by all its keys)
     * @param kind     {@link Kind#PUT} or {@link Kind#DELETE}
     * @param value    the value put; ignored (may be {@code null}) for a delete
     * @throws IllegalArgumentException if {@code revision < 1}
     * @throws NullPointerException     if key or kind is {@code null}, or value is {@code null} for a put
     */
    public void acknowledged(String key, long revision, Kind kind, String value) {
        record(acknowledged, key, revision, kind, value);
    }

    /**
     * Records a write whose outcome is unknown: it may or may not be in the store. If it is, it must be delivered,
     * exactly once.
     *
     * @param key   the key written
     * @param value the value put, or {@code null} for a delete (or an expected lease-expiry disappearance)
     * @throws NullPointerException if key is {@code null}
     */
    public void unknown(String key, String value) {
        Objects.requireNonNull(key, "key");
        unknown.add(value == null ? EventLog.DELETE : EventLog.PUT, keys.intern(key), 0, value);
    }

    /**
     * Records the initial snapshot of a snapshot-then-watch subscription; the consumer's view starts from it and
     * events at or below {@code revision} count as duplicates. Call at most once, before anything else on the
     * consumer side.
     *
     * @param contents the snapshot, key to value (copied)
     * @param revision the revision the snapshot was read at
     * @throws IllegalStateException    if a snapshot, delivery or marker was already recorded
     * @throws IllegalArgumentException if {@code revision < 0}
     * @throws NullPointerException     if contents, or a key or value in it, is {@code null}
     */
    public void snapshot(Map<String, String> contents, long revision) {
        Objects.requireNonNull(contents, "contents");
        if (revision < 0) {
            throw new IllegalArgumentException("snapshot revision must be >= 0, got " + revision);
        }
        Map<Integer, String> copy = new HashMap<>();
        contents.forEach((key, value) -> copy.put(keys.intern(Objects.requireNonNull(key, "snapshot key")),
                Objects.requireNonNull(value, "snapshot value")));
        synchronized (stream) {
            if (snapshot != null || stream.size() > 0) {
                throw new IllegalStateException("snapshot(...) must be recorded once, before any delivery or marker");
            }
            snapshot = copy;
            snapshotRevision = revision;
        }
    }

    /**
     * Records a change delivered to the consumer, in delivery order.
     *
     * @param key      the key changed
     * @param revision the event's (modification) revision
     * @param kind     {@link Kind#PUT} or {@link Kind#DELETE}
     * @param value    the value put; ignored (may be {@code null}) for a delete
     * @throws IllegalArgumentException if {@code revision < 1}
     * @throws NullPointerException     if key or kind is {@code null}, or value is {@code null} for a put
     */
    public void delivered(String key, long revision, Kind kind, String value) {
        record(stream, key, revision, kind, value);
    }

    /**
     * Records that the stream reported its start revision compacted away.
     *
     * @param compactRevision the compact revision the server reported
     */
    public void compacted(long compactRevision) {
        stream.add(EventLog.COMPACTED, -1, compactRevision, null);
    }

    /**
     * Records that the consumer re-read the store at {@code revision} and is about to emit the difference as
     * ordinary deliveries; the watch then continues from {@code revision + 1}.
     *
     * @param revision the revision of the re-read
     * @throws IllegalArgumentException if {@code revision < 1}
     */
    public void resynced(long revision) {
        requireRevision(revision);
        stream.add(EventLog.RESYNCED, -1, revision, null);
    }

    /** Records that the consumer was told the stream broke. */
    public void disconnected() {
        stream.add(EventLog.DISCONNECTED, -1, 0, null);
    }

    /** Records that the consumer was told the stream resumed. */
    public void resumed() {
        stream.add(EventLog.RESUMED, -1, 0, null);
    }

    /**
     * Judges everything recorded so far.
     *
     * @param fromRevision      the first revision judged (usually the watch's start revision, or snapshot + 1)
     * @param toRevision        the last revision judged; the consumer must have caught up to it
     * @param storeAtToRevision a fresh read of the watched keys at {@code toRevision}, key to value; {@code null}
     *                          skips the view comparison (the report says so)
     * @return the report
     * @throws IllegalArgumentException if {@code fromRevision > toRevision}
     */
    public Report check(long fromRevision, long toRevision, Map<String, String> storeAtToRevision) {
        if (fromRevision > toRevision) {
            throw new IllegalArgumentException("fromRevision " + fromRevision + " > toRevision " + toRevision);
        }
        Map<String, String> store = storeAtToRevision == null ? null : Map.copyOf(storeAtToRevision);
        EventLog.Frozen streamNow;
        Map<Integer, String> start;
        long startRevision;
        synchronized (stream) {
            streamNow = stream.freeze();
            start = snapshot;
            startRevision = snapshotRevision;
        }
        return new WatchDeliveryAnalysis(keys, acknowledged.freeze(), unknown.freeze(), streamNow, start,
                startRevision, fromRevision, toRevision, store).run();
    }

    private void record(EventLog log, String key, long revision, Kind kind, String value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        requireRevision(revision);
        if (kind == Kind.PUT) {
            Objects.requireNonNull(value, "value of a put");
        }
        log.add(kind.code(), keys.intern(key), revision, kind == Kind.PUT ? value : null);
    }

    private static void requireRevision(long revision) {
        if (revision < 1) {
            throw new IllegalArgumentException("etcd revisions start at 1, got " + revision);
        }
    }

    /**
     * The verdict of a {@link WatchDeliveryChecker}: findings {@link #lost()}, {@link #duplicated()},
     * {@link #outOfOrder()}, {@link #unexpected()} and {@link #view()}, plus counts for the summary. Immutable.
     */
    public static final class Report extends CheckReport {

        private final Findings lost;
        private final Findings duplicated;
        private final Findings outOfOrder;
        private final Findings unexpected;
        private final Findings view;
        private final Stats stats;

        /** Counts behind the summary. */
        record Stats(long delivered, long acknowledged, long unknown, long fromRevision, long toRevision,
                     long compactions, long unresolvedCompactions, long resyncs, long disconnects, long resumes,
                     long excusedInGaps, boolean viewChecked, long storeKeys) {
        }

        Report(Findings lost, Findings duplicated, Findings outOfOrder, Findings unexpected, Findings view,
               Stats stats) {
            super("WatchDeliveryChecker", List.of(lost, duplicated, outOfOrder, unexpected, view));
            this.lost = lost;
            this.duplicated = duplicated;
            this.outOfOrder = outOfOrder;
            this.unexpected = unexpected;
            this.view = view;
            this.stats = stats;
        }

        /** {@return acknowledged writes never delivered, and unknown-outcome writes in the store but never delivered} */
        public Findings lost() {
            return lost;
        }

        /** {@return events delivered twice, or writes applied twice} */
        public Findings duplicated() {
            return duplicated;
        }

        /** {@return events whose revision is lower than the previous delivered one} */
        public Findings outOfOrder() {
            return outOfOrder;
        }

        /** {@return events no recorded write explains, or that contradict the acknowledged write} */
        public Findings unexpected() {
            return unexpected;
        }

        /** {@return keys where the consumer's view (snapshot plus deliveries) differs from the store} */
        public Findings view() {
            return view;
        }

        /** {@return how many change events were delivered (all revisions, duplicates included)} */
        public long deliveredCount() {
            return stats.delivered();
        }

        /** {@return how many compaction markers were recorded} */
        public long compactions() {
            return stats.compactions();
        }

        /** {@return how many compaction markers no later resync covered} */
        public long unresolvedCompactions() {
            return stats.unresolvedCompactions();
        }

        /** {@return how many disconnect markers were recorded} */
        public long disconnects() {
            return stats.disconnects();
        }

        /**
         * {@return how many writes inside resync-covered compaction gaps were excused} They were superseded, or
         * deleted a key the consumer never had.
         */
        public long excusedInCompactionGaps() {
            return stats.excusedInGaps();
        }

        @Override
        public String summary() {
            Stats s = stats;
            StringBuilder text = new StringBuilder()
                    .append("delivered ").append(count(s.delivered(), "event"))
                    .append(", ").append(lost.count()).append(" lost")
                    .append(", ").append(duplicated.count()).append(" duplicated")
                    .append(", ").append(outOfOrder.count()).append(" out of order")
                    .append(", ").append(unexpected.count()).append(" unexpected")
                    .append(", ");
            if (!s.viewChecked()) {
                text.append("view not checked");
            } else if (view.isEmpty()) {
                text.append("view matches the store (").append(count(s.storeKeys(), "key")).append(')');
            } else {
                text.append("view differs from the store at ").append(count(view.count(), "key"));
            }
            text.append(", ").append(count(s.compactions(), "compaction"));
            if (s.compactions() > 0) {
                text.append(s.unresolvedCompactions() == 0 ? " (resynced)"
                        : " (" + s.unresolvedCompactions() + " not resynced)");
            }
            if (s.resyncs() != s.compactions() - s.unresolvedCompactions()) {
                text.append(", ").append(count(s.resyncs(), "resync"));
            }
            text.append(", ").append(count(s.disconnects(), "disconnect"));
            if (s.excusedInGaps() > 0) {
                text.append(", ").append(s.excusedInGaps()).append(" superseded in compaction gaps");
            }
            text.append("; judged revisions [").append(s.fromRevision()).append(", ").append(s.toRevision())
                    .append("] against ").append(s.acknowledged()).append(" acknowledged and ").append(s.unknown())
                    .append(" unknown-outcome writes");
            return text.toString();
        }
    }
}
