package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of {@link WatchDeliveryChecker#check}: judges frozen logs and builds the report.
 *
 * <p>Work is O(n log n) in the number of records (one stable sort per log, then merge joins); extra memory is a
 * few ints per record plus hash maps over the <em>unexplained</em> events only. Single-threaded; not reused.
 */
final class WatchDeliveryAnalysis {

    /** A write's identity apart from its revision: key, kind and value ({@code null} for a delete). */
    private record Write(int key, byte type, String value) {
    }

    /** A resync: the consumer covered revisions up to {@code low}, then re-read at {@code resyncRevision}. */
    private static final class Gap {
        final int index;
        final long low;
        final long resyncRevision;
        final int marker;
        int end;
        final List<Integer> candidates = new ArrayList<>();
        final Map<Integer, Boolean> presentAtResync = new HashMap<>();

        Gap(int index, long low, long resyncRevision, int marker) {
            this.index = index;
            this.low = low;
            this.resyncRevision = resyncRevision;
            this.marker = marker;
            this.end = marker + 1;
        }

        boolean covers(long revision) {
            return revision > low && revision <= resyncRevision;
        }
    }

    private static final int MAX_VALUE_SHOWN = 60;
    private static final int MAX_REVISIONS_SHOWN = 5;

    private final NameTable keys;
    private final EventLog.Frozen acks;
    private final EventLog.Frozen unknowns;
    private final EventLog.Frozen stream;
    private final Map<Integer, String> snapshot;
    private final long snapshotRevision;
    private final long from;
    private final long to;
    private final Map<String, String> store;

    private final FindingsCollector lost = new FindingsCollector("lost");
    private final FindingsCollector duplicated = new FindingsCollector("duplicated");
    private final FindingsCollector outOfOrder = new FindingsCollector("out of order");
    private final FindingsCollector unexpected = new FindingsCollector("unexpected");
    private final FindingsCollector view = new FindingsCollector("view mismatches");

    private final List<Gap> gaps = new ArrayList<>();
    private int[] gapOf;
    /** Resync events nothing explains; they supersede nothing. */
    private boolean[] inventedByResync;
    private long delivered;
    private long compactions;
    private long unresolvedCompactions;
    private long unresolvedSince = Long.MAX_VALUE;
    private long unresolvedCompactRevision;
    private long resyncs;
    private long disconnects;
    private long resumes;
    private long excusedInGaps;

    WatchDeliveryAnalysis(NameTable keys, EventLog.Frozen acks, EventLog.Frozen unknowns, EventLog.Frozen stream,
                          Map<Integer, String> snapshot, long snapshotRevision, long from, long to,
                          Map<String, String> store) {
        this.keys = keys;
        this.acks = acks;
        this.unknowns = unknowns;
        this.stream = stream;
        this.snapshot = snapshot;
        this.snapshotRevision = snapshot == null ? -1 : snapshotRevision;
        this.from = from;
        this.to = to;
        this.store = store;
    }

    WatchDeliveryChecker.Report run() {
        replayOrder();
        int[] ackOrder = RevisionOrder.sort(allPositions(acks.size()), acks.revisions());
        int[] deliveryOrder = RevisionOrder.sort(changePositions(), stream.revisions());
        boolean[] ackDelivered = new boolean[acks.size()];
        int[] matchedAck = new int[stream.size()];
        boolean[] extraCopy = new boolean[stream.size()];
        joinByRevision(ackOrder, deliveryOrder, ackDelivered, matchedAck, extraCopy);
        Map<Write, Integer> unknownCounts = unknownCounts();
        classifyUnexplained(deliveryOrder, matchedAck, extraCopy, unknownCounts);
        findLost(ackOrder, ackDelivered);
        Map<Integer, String> finalView = replayView();
        judgeGapCandidates(ackOrder);
        if (store != null) {
            findLostUnknowns(unknownCounts);
            compareView(finalView);
        }
        return new WatchDeliveryChecker.Report(lost.build(), duplicated.build(), outOfOrder.build(),
                unexpected.build(), view.build(),
                new WatchDeliveryChecker.Report.Stats(delivered, acks.size(), unknowns.size(), from, to, compactions,
                        unresolvedCompactions, resyncs, disconnects, resumes, excusedInGaps, store != null,
                        store == null ? 0 : store.size()));
    }

    /** Pass over the stream in consumer order: markers, resync phases, order and snapshot duplicates. */
    private void replayOrder() {
        gapOf = new int[stream.size()];
        Arrays.fill(gapOf, -1);
        long covered = snapshot != null ? snapshotRevision : from - 1;
        long previous = 0;
        boolean havePrevious = false;
        Gap open = null;
        long pending = 0;
        for (int i = 0; i < stream.size(); i++) {
            long revision = stream.revisions()[i];
            switch (stream.types()[i]) {
                case EventLog.COMPACTED -> {
                    compactions++;
                    if (pending == 0) {
                        unresolvedSince = covered;
                        unresolvedCompactRevision = revision;
                    }
                    pending++;
                    open = null;
                }
                case EventLog.RESYNCED -> {
                    resyncs++;
                    open = new Gap(gaps.size(), covered, revision, i);
                    gaps.add(open);
                    pending = 0;
                    unresolvedSince = Long.MAX_VALUE;
                    covered = Math.max(covered, revision);
                }
                case EventLog.DISCONNECTED -> disconnects++;
                case EventLog.RESUMED -> resumes++;
                default -> {
                    delivered++;
                    if (open != null && revision <= open.resyncRevision) {
                        gapOf[i] = open.index;
                        open.end = i + 1;
                        continue;
                    }
                    open = null;
                    if (havePrevious && revision < previous) {
                        outOfOrder.add(revision, keyOf(stream, i),
                                describe(stream, i) + " delivered after revision " + previous);
                    }
                    previous = revision;
                    havePrevious = true;
                    if (snapshot != null && revision <= snapshotRevision) {
                        duplicated.add(revision, keyOf(stream, i), describe(stream, i)
                                + " delivered although the snapshot at revision " + snapshotRevision + " holds it");
                    }
                    covered = Math.max(covered, revision);
                }
            }
        }
        unresolvedCompactions = pending;
    }

    /**
     * Merge join of acknowledged writes and deliveries on revision: finds duplicate deliveries of one
     * (key, revision), marks delivered acknowledgements and checks that kind and value agree.
     */
    private void joinByRevision(int[] ackOrder, int[] deliveryOrder, boolean[] ackDelivered, int[] matchedAck,
                                boolean[] extraCopy) {
        Arrays.fill(matchedAck, -1);
        long[] ackRevisions = acks.revisions();
        long[] revisions = stream.revisions();
        int a = 0;
        int d = 0;
        while (d < deliveryOrder.length) {
            long revision = revisions[deliveryOrder[d]];
            int dEnd = d + 1;
            while (dEnd < deliveryOrder.length && revisions[deliveryOrder[dEnd]] == revision) {
                dEnd++;
            }
            if (dEnd - d > 1) {
                findCopies(deliveryOrder, d, dEnd, revision, extraCopy);
            }
            while (a < ackOrder.length && ackRevisions[ackOrder[a]] < revision) {
                a++;
            }
            int aEnd = a;
            while (aEnd < ackOrder.length && ackRevisions[ackOrder[aEnd]] == revision) {
                aEnd++;
            }
            for (int i = d; i < dEnd; i++) {
                int position = deliveryOrder[i];
                if (extraCopy[position]) {
                    continue;
                }
                for (int j = a; j < aEnd; j++) {
                    int ack = ackOrder[j];
                    if (acks.keys()[ack] == stream.keys()[position]) {
                        ackDelivered[ack] = true;
                        if (matchedAck[position] < 0) {
                            matchedAck[position] = ack;
                            checkAgrees(ack, position);
                        }
                    }
                }
            }
            d = dEnd;
        }
    }

    /** Marks every delivery of one (key, revision) after the first as an extra copy and reports it. */
    private void findCopies(int[] deliveryOrder, int start, int end, long revision, boolean[] extraCopy) {
        Map<Integer, Integer> copies = new HashMap<>();
        for (int i = start; i < end; i++) {
            int position = deliveryOrder[i];
            extraCopy[position] = copies.merge(stream.keys()[position], 1, Integer::sum) > 1;
        }
        copies.forEach((id, count) -> {
            if (count > 1) {
                String key = keys.name(id);
                duplicated.add(revision, key, key + "@" + revision + " delivered " + count + " times");
            }
        });
    }

    private void checkAgrees(int ack, int position) {
        byte type = stream.types()[position];
        boolean agrees = acks.types()[ack] == type
                && (type == EventLog.DELETE || Objects.equals(acks.values()[ack], stream.values()[position]));
        long revision = stream.revisions()[position];
        if (!agrees && inWindow(revision)) {
            unexpected.add(revision, keyOf(stream, position), describe(stream, position)
                    + " contradicts the acknowledged write " + describe(acks, ack));
        }
    }

    private Map<Write, Integer> unknownCounts() {
        Map<Write, Integer> counts = new HashMap<>();
        for (int i = 0; i < unknowns.size(); i++) {
            counts.merge(writeOf(unknowns, i), 1, Integer::sum);
        }
        return counts;
    }

    /** Explains each delivery no acknowledgement matches: resync restatement, unknown write, double apply, or nothing. */
    private void classifyUnexplained(int[] deliveryOrder, int[] matchedAck, boolean[] extraCopy,
                                     Map<Write, Integer> unknownCounts) {
        inventedByResync = new boolean[stream.size()];
        List<Integer> unexplained = new ArrayList<>();
        Set<Integer> unexplainedKeys = new HashSet<>();
        for (int position : deliveryOrder) {
            if (matchedAck[position] < 0 && !extraCopy[position]) {
                unexplained.add(position);
                unexplainedKeys.add(stream.keys()[position]);
            }
        }
        if (unexplained.isEmpty()) {
            return;
        }
        Map<Write, List<Long>> ackRevisions = new HashMap<>();
        for (int i = 0; i < acks.size(); i++) {
            if (unexplainedKeys.contains(acks.keys()[i])) {
                ackRevisions.computeIfAbsent(writeOf(acks, i), w -> new ArrayList<>()).add(acks.revisions()[i]);
            }
        }
        Map<Write, List<Long>> unknownApplied = new HashMap<>();
        for (int position : unexplained) {
            Write write = writeOf(stream, position);
            long revision = stream.revisions()[position];
            List<Long> acknowledgedAt = ackRevisions.getOrDefault(write, List.of());
            if (gapOf[position] >= 0) {
                long resyncRevision = gaps.get(gapOf[position]).resyncRevision;
                boolean restated = unknownCounts.containsKey(write)
                        || acknowledgedAt.stream().anyMatch(r -> r <= resyncRevision);
                if (!restated) {
                    inventedByResync[position] = true;
                }
                if (!restated && inWindow(revision)) {
                    unexpected.add(revision, keyOf(stream, position), describe(stream, position)
                            + " was emitted by the resync at revision " + resyncRevision
                            + ", but no such write at or before it was recorded");
                }
            } else if (unknownCounts.containsKey(write)) {
                if (inWindow(revision)) {
                    unknownApplied.computeIfAbsent(write, w -> new ArrayList<>()).add(revision);
                }
            } else if (!acknowledgedAt.isEmpty()) {
                if (inWindow(revision)) {
                    duplicated.add(revision, keyOf(stream, position), describe(stream, position)
                            + " applied again: the same write was acknowledged at revision "
                            + revisions(acknowledgedAt));
                }
            } else if (inWindow(revision)) {
                unexpected.add(revision, keyOf(stream, position), describe(stream, position)
                        + ": no acknowledged or unknown-outcome write explains it");
            }
        }
        unknownApplied.forEach((write, revisions) -> {
            int recorded = unknownCounts.get(write);
            if (revisions.size() > recorded) {
                String key = keys.name(write.key());
                duplicated.add(revisions.get(recorded), key, "unknown-outcome write " + describe(write)
                        + " (recorded " + recorded + (recorded == 1 ? " time" : " times") + ") applied at "
                        + revisions.size() + " revisions: " + revisions(revisions));
            }
        });
    }

    /** Acknowledged writes in the window never delivered; those inside a resync gap become candidates. */
    private void findLost(int[] ackOrder, boolean[] ackDelivered) {
        for (int ack : ackOrder) {
            long revision = acks.revisions()[ack];
            if (ackDelivered[ack] || !inWindow(revision) || (snapshot != null && revision <= snapshotRevision)) {
                continue;
            }
            Gap gap = gapCovering(revision);
            if (gap != null) {
                gap.candidates.add(ack);
            } else {
                lost.add(revision, keyOf(acks, ack), describe(acks, ack) + " was acknowledged but never delivered"
                        + (revision > unresolvedSince ? " (it falls after the compaction at revision " + unresolvedCompactRevision
                        + ", which was never resynced)" : ""));
            }
        }
    }

    private Gap gapCovering(long revision) {
        for (Gap gap : gaps) {
            if (gap.covers(revision)) {
                return gap;
            }
        }
        return null;
    }

    /** Applies the snapshot and deliveries up to {@code to}; notes which candidate keys the view held at each resync. */
    private Map<Integer, String> replayView() {
        Map<Integer, Set<Integer>> probes = new HashMap<>();
        for (Gap gap : gaps) {
            for (int ack : gap.candidates) {
                if (acks.types()[ack] == EventLog.DELETE) {
                    probes.computeIfAbsent(gap.marker, m -> new HashSet<>()).add(acks.keys()[ack]);
                }
            }
        }
        Map<Integer, Gap> gapAtMarker = new HashMap<>();
        gaps.forEach(gap -> gapAtMarker.put(gap.marker, gap));
        Map<Integer, String> current = snapshot == null ? new HashMap<>() : new HashMap<>(snapshot);
        for (int i = 0; i < stream.size(); i++) {
            byte type = stream.types()[i];
            if (type == EventLog.RESYNCED && probes.containsKey(i)) {
                Gap gap = gapAtMarker.get(i);
                for (int key : probes.get(i)) {
                    gap.presentAtResync.put(key, current.containsKey(key));
                }
            } else if (stream.isChange(i) && stream.revisions()[i] <= to) {
                if (type == EventLog.PUT) {
                    current.put(stream.keys()[i], stream.values()[i]);
                } else {
                    current.remove(stream.keys()[i]);
                }
            }
        }
        return current;
    }

    /**
     * A write inside a resync gap is excused if a later write to its key (at or before the resync revision)
     * superseded it, or if it deletes a key the consumer never had; otherwise the resync must have emitted it.
     */
    private void judgeGapCandidates(int[] ackOrder) {
        for (Gap gap : gaps) {
            if (gap.candidates.isEmpty()) {
                continue;
            }
            Set<Integer> candidateKeys = new HashSet<>();
            gap.candidates.forEach(ack -> candidateKeys.add(acks.keys()[ack]));
            Map<Integer, Long> lastWrite = new HashMap<>();
            for (int i = RevisionOrder.lowerBound(ackOrder, acks.revisions(), gap.low + 1); i < ackOrder.length
                    && acks.revisions()[ackOrder[i]] <= gap.resyncRevision; i++) {
                int ack = ackOrder[i];
                if (candidateKeys.contains(acks.keys()[ack])) {
                    lastWrite.merge(acks.keys()[ack], acks.revisions()[ack], Math::max);
                }
            }
            Set<Write> emitted = new HashSet<>();
            for (int i = gap.marker + 1; i < gap.end; i++) {
                if (gapOf[i] == gap.index && !inventedByResync[i] && candidateKeys.contains(stream.keys()[i])) {
                    lastWrite.merge(stream.keys()[i], stream.revisions()[i], Math::max);
                    emitted.add(writeOf(stream, i));
                }
            }
            for (int ack : gap.candidates) {
                int key = acks.keys()[ack];
                long revision = acks.revisions()[ack];
                boolean superseded = lastWrite.getOrDefault(key, revision) > revision;
                boolean neverHeld = acks.types()[ack] == EventLog.DELETE
                        && !gap.presentAtResync.getOrDefault(key, true);
                if (emitted.contains(writeOf(acks, ack))) {
                    continue;
                }
                if (superseded || neverHeld) {
                    excusedInGaps++;
                } else {
                    lost.add(revision, keyOf(acks, ack), describe(acks, ack)
                            + " was acknowledged inside the compaction gap (" + gap.low + ", " + gap.resyncRevision
                            + "] and is the last write to its key there, but the resync at revision "
                            + gap.resyncRevision + " did not emit it");
                }
            }
        }
    }

    /** Unknown-outcome puts that are in the store at the end must have been delivered. */
    private void findLostUnknowns(Map<Write, Integer> unknownCounts) {
        Set<Integer> unknownKeys = new HashSet<>();
        unknownCounts.keySet().forEach(write -> unknownKeys.add(write.key()));
        Set<Write> seen = new HashSet<>();
        for (int i = 0; i < stream.size(); i++) {
            if (stream.isChange(i) && unknownKeys.contains(stream.keys()[i])) {
                seen.add(writeOf(stream, i));
            }
        }
        for (Write write : unknownCounts.keySet()) {
            String key = keys.name(write.key());
            if (write.type() == EventLog.PUT && write.value().equals(store.get(key)) && !seen.contains(write)
                    && !(snapshot != null && write.value().equals(snapshot.get(write.key())))) {
                lost.add(to, key, "unknown-outcome write " + describe(write) + " is in the store at revision " + to
                        + " but was never delivered");
            }
        }
    }

    private void compareView(Map<Integer, String> finalView) {
        for (Map.Entry<String, String> entry : store.entrySet()) {
            String key = entry.getKey();
            int id = keys.idOf(key);
            String mine = id < 0 ? null : finalView.get(id);
            if (mine == null) {
                view.add(0, key, key + ": the store has " + show(entry.getValue()) + ", the stream's view lacks the key");
            } else if (!mine.equals(entry.getValue())) {
                view.add(0, key, key + ": the store has " + show(entry.getValue()) + ", the stream's view has "
                        + show(mine));
            }
        }
        finalView.forEach((id, value) -> {
            String key = keys.name(id);
            if (!store.containsKey(key)) {
                view.add(0, key, key + ": not in the store, but the stream's view has " + show(value));
            }
        });
    }

    private boolean inWindow(long revision) {
        return revision >= from && revision <= to;
    }

    private static int[] allPositions(int size) {
        int[] positions = new int[size];
        for (int i = 0; i < size; i++) {
            positions[i] = i;
        }
        return positions;
    }

    private int[] changePositions() {
        int count = 0;
        for (int i = 0; i < stream.size(); i++) {
            if (stream.isChange(i)) {
                count++;
            }
        }
        int[] positions = new int[count];
        int next = 0;
        for (int i = 0; i < stream.size(); i++) {
            if (stream.isChange(i)) {
                positions[next++] = i;
            }
        }
        return positions;
    }

    private static Write writeOf(EventLog.Frozen log, int position) {
        byte type = log.types()[position];
        return new Write(log.keys()[position], type, type == EventLog.PUT ? log.values()[position] : null);
    }

    private String keyOf(EventLog.Frozen log, int position) {
        return keys.name(log.keys()[position]);
    }

    private String describe(EventLog.Frozen log, int position) {
        String text = keyOf(log, position) + "@" + log.revisions()[position];
        return log.types()[position] == EventLog.PUT ? text + " PUT " + show(log.values()[position]) : text + " DELETE";
    }

    private String describe(Write write) {
        String key = keys.name(write.key());
        return write.type() == EventLog.PUT ? key + "=" + show(write.value()) : "DELETE " + key;
    }

    private static String revisions(List<Long> revisions) {
        List<Long> shown = revisions.subList(0, Math.min(MAX_REVISIONS_SHOWN, revisions.size()));
        String text = shown.toString();
        return revisions.size() > shown.size() ? text + " and " + (revisions.size() - shown.size()) + " more" : text;
    }

    private static String show(String value) {
        if (value == null) {
            return "(none)";
        }
        String shown = value.length() > MAX_VALUE_SHOWN ? value.substring(0, MAX_VALUE_SHOWN - 3) + "..." : value;
        return "'" + shown + "'";
    }
}
