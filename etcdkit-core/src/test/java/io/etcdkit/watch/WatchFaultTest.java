package io.etcdkit.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.DefaultEtcdClient;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.kv.CompactForTests;
import io.etcdkit.kv.Range;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.EtcdMember;
import io.etcdkit.testing.check.WatchDeliveryChecker;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Watches under member faults on a 3-member cluster, judged by {@link WatchDeliveryChecker}: a writer thread puts
 * and deletes ~50 keys under a prefix (distinct values; acknowledged writes and unknown outcomes recorded, see
 * {@link FaultWriter}), a watcher or subscription records every delivery and marker ({@link FaultRecorder}), and
 * the checker finds no lost, duplicated, reordered or invented event and a final view equal to the store.
 *
 * <ol>
 *   <li>SIGKILL of the leader while the watch stream runs on it (the stream breaks, the cluster elects);</li>
 *   <li>SIGKILL of the follower the watch stream runs on;</li>
 *   <li>SIGSTOP of the follower the watch stream runs on, for longer than the client's deadline: the silent stream
 *       is probed after the attempt timeout and moved;</li>
 *   <li>compaction while a client whose only endpoint is a killed member cannot reconnect: after the restart a
 *       plain watcher ends with {@link CompactedEvent}, a subscription re-reads and emits the difference.</li>
 * </ol>
 *
 * <p>Each scenario prints one {@code WATCH-FAULT} line (checker summary, longest gap between two deliveries,
 * outage, markers) to the test output. Every wait is bounded and waits for a condition (a delivered revision, a
 * marker, a number of acknowledged writes); the only timed hold is the pause of scenario 3, which must outlast
 * the client's deadline. Mutations of the engine they catch: resuming from next revision + 1 (lost, 1-3) or - 1
 * (duplicated, 1-3), resuming "from now" (1-4), no probe of a silent stream (3), a resync that drops the deletes
 * of vanished keys (4).
 */
class WatchFaultTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().members(3).build();

    static final Duration WAIT = Duration.ofSeconds(30);
    /** Acknowledged writes before the watch starts (so it replays history first). */
    static final int HISTORY = 150;
    /** Acknowledged writes awaited at each step of a scenario (before the fault, during it, after it). */
    static final int STEP = 150;

    @AfterEach
    void healCluster() {
        for (EtcdMember m : ETCD.cluster().members()) {
            if (m.isPaused()) {
                m.resume();
            }
            if (!m.isRunning()) {
                m.start();
            }
        }
        ETCD.cluster().awaitHealthy(WAIT);
        ETCD.cluster().awaitLeader(WAIT);
    }

    // ---- scenarios 1-3: a plain prefix watch from a start revision, one fault on the way ----------------------

    @Test
    void killingTheLeaderUnderTheWatchStreamLosesAndDuplicatesNothing() {
        EtcdMember leader = ETCD.cluster().leader();
        // A fresh client opens its stream on its first endpoint: put the leader first so the kill breaks the stream.
        plainWatchUnderFault("leader-kill", endpointsFirst(leader), b -> b, streamMember -> {
            assertThat(streamMember).as("the watch stream is on the leader").isSameAs(ETCD.cluster().leader());
            streamMember.kill();
            return () -> { };
        });
    }

    @Test
    void killingTheMemberTheWatchStreamIsOnLosesAndDuplicatesNothing() {
        EtcdMember follower = aFollower();
        plainWatchUnderFault("stream-member-kill", endpointsFirst(follower), b -> b, streamMember -> {
            streamMember.kill();
            return () -> { };
        });
    }

    @Test
    void pausingTheMemberTheWatchStreamIsOnMovesTheStreamAndLosesNothing() {
        EtcdMember follower = aFollower();
        Duration attempt = Duration.ofSeconds(1);
        Duration deadline = Duration.ofSeconds(3);
        plainWatchUnderFault("stream-member-pause", endpointsFirst(follower),
                b -> b.attemptTimeout(attempt).deadline(deadline), streamMember -> {
                    streamMember.pause();
                    long pausedAt = System.nanoTime();
                    // Healing: keep the member frozen for longer than the client's deadline, then thaw it.
                    return () -> {
                        try {
                            holdUntil(pausedAt + deadline.plusSeconds(1).toNanos());
                        } finally {
                            streamMember.resume();
                        }
                    };
                });
    }

    /**
     * With default settings a frozen stream member is left within about 2.25 s (1 s of silence, a 1 s probe); the
     * writer uses the other members so that the figure is the watch's own. Prints the time from SIGSTOP to the
     * disconnect and to the first delivered write after the resume ("back to fresh").
     */
    @Test
    void aFrozenStreamMemberIsLeftWithinAboutTwoSecondsWithDefaultSettings() {
        EtcdMember follower = aFollower();
        long[] pausedAt = new long[1];
        List<String> others = ETCD.cluster().members().stream().filter(m -> m != follower)
                .map(EtcdMember::clientEndpoint).toList();
        FaultRecorder rec = plainWatchUnderFault("frozen-member-defaults", endpointsFirst(follower), others, b -> b,
                streamMember -> {
                    streamMember.pause();
                    pausedAt[0] = System.nanoTime();
                    return () -> {
                        try {
                            holdUntil(pausedAt[0] + Duration.ofSeconds(5).toNanos());
                        } finally {
                            streamMember.resume();
                        }
                    };
                });
        long detected = rec.lastDisconnectNanos() - pausedAt[0];
        long fresh = rec.firstChangeAfterResumeNanos() - pausedAt[0];
        System.out.printf("WATCH-FAULT frozen stream member, default settings: disconnect %d ms, back to fresh %d ms "
                + "after SIGSTOP%n", detected / 1_000_000, fresh / 1_000_000);
        assertThat(Duration.ofNanos(fresh)).as("watch on a frozen member back to fresh")
                .isLessThan(Duration.ofSeconds(4));
    }

    /** What a scenario does to the member the stream is on; returns how to end the fault (run in a finally). */
    interface Fault {
        Runnable inject(EtcdMember streamMember);
    }

    /**
     * A writer, a watch from a start revision before the writer's history, and a second watch on the same stream
     * whose consumer is stalled (its server-side watch is paused for back-pressure when the fault hits, and it
     * resumes only after the cluster has written on, so "resume from now" would lose writes even when the stream
     * itself reconnects before anything is written); then the fault, recovery, a fence write, and the checker.
     */
    private void plainWatchUnderFault(String name, List<String> watchEndpoints,
            UnaryOperator<io.etcdkit.EtcdClientBuilder> tuning, Fault fault) {
        plainWatchUnderFault(name, watchEndpoints, ETCD.clientEndpoints(), tuning, fault);
    }

    /** As above with the writer on {@code writerEndpoints}; returns the plain watch's recorder. */
    private FaultRecorder plainWatchUnderFault(String name, List<String> watchEndpoints, List<String> writerEndpoints,
            UnaryOperator<io.etcdkit.EtcdClientBuilder> tuning, Fault fault) {
        long began = System.nanoTime();
        String prefix = "wf/" + name + "/";
        WatchDeliveryChecker checker = new WatchDeliveryChecker();
        WatchDeliveryChecker stalledChecker = new WatchDeliveryChecker();
        try (EtcdClient writerClient = tuning.apply(EtcdClient.builder().endpoints(writerEndpoints)).build();
                EtcdClient watchClient = tuning.apply(EtcdClient.builder().endpoints(watchEndpoints)).build()) {
            long start = writerClient.kv().put("wf/" + name + ".start", "x").revision() + 1;
            FaultWriter writer = new FaultWriter(name, writerClient, prefix, name.hashCode(), checker, stalledChecker);
            FaultRecorder rec = new FaultRecorder();
            FaultRecorder stalled = FaultRecorder.gated();
            try {
                writer.start();
                writer.awaitAcks(HISTORY);
                try (Watcher w = watchClient.watches().watch(Watch.prefix(prefix).fromRevision(start), rec);
                        Watcher sw = watchClient.watches().watch(
                                Watch.prefix(prefix).fromRevision(start).bufferSize(16), stalled)) {
                    // Live: the watcher has replayed the history and delivers writes made after it started.
                    rec.awaitRevision(writer.awaitAcks(writer.acked() + STEP));
                    awaitTrue("the stalled consumer's server-side watch paused",
                            () -> ((DefaultEtcdClient) watchClient).watchEngine().slowConsumerPauses() > 0);
                    EtcdMember streamMember = streamMember(watchClient);
                    assertThat(streamMember.clientEndpoint()).as("the stream is on the client's first endpoint")
                            .isEqualTo(watchEndpoints.get(0));
                    int disconnectsBefore = rec.disconnects();
                    Runnable heal = fault.inject(streamMember);
                    ResumedEvent resumed;
                    try {
                        rec.await("a DisconnectedEvent", r -> r.disconnects() > disconnectsBefore);
                        resumed = rec.await("a ResumedEvent after the DisconnectedEvent",
                                FaultRecorder::resumedAfterLastDisconnect);
                        assertThat(sameEndpoint(resumed.endpoint(), streamMember.clientEndpoint()))
                                .as("resumed on another member than the broken one, not on %s", resumed.endpoint())
                                .isFalse();
                        assertThat(resumed.fromRevision()).as("resumes from the last delivered revision + 1")
                                .isEqualTo(rec.revisionBeforeLastDisconnect() + 1);
                        // Writes made while the stream moved and after are delivered by the resumed watch.
                        rec.awaitRevision(writer.awaitAcks(writer.acked() + STEP));
                    } finally {
                        heal.run();
                        stalled.open();
                    }
                    rec.awaitRevision(writer.awaitAcks(writer.acked() + STEP / 3));
                    writer.stop();
                    long to = writer.fence();
                    rec.awaitRevision(to);
                    assertThat(w.nextRevision()).isGreaterThan(to);
                    List<WatchEvent> events = rec.events();
                    feed(checker, events);
                    WatchDeliveryChecker.Report report = checker.check(start, to, store(writerClient, prefix, to));
                    printSummary(name, report, rec, writer, began, "resumed on " + resumed.endpoint());
                    assertClean(report);
                    assertDisconnectThenResume(events);
                    stalled.awaitRevision(to);
                    List<WatchEvent> stalledEvents = stalled.events();
                    feed(stalledChecker, stalledEvents);
                    WatchDeliveryChecker.Report stalledReport = stalledChecker.check(start, to,
                            store(writerClient, prefix, to));
                    ResumedEvent stalledResumed = stalled.resumedAfterLastDisconnect();
                    printSummary(name + "/stalled", stalledReport, stalled, writer, began,
                            "resumed on " + (stalledResumed == null ? "-" : stalledResumed.endpoint()));
                    assertClean(stalledReport);
                    assertDisconnectThenResume(stalledEvents);
                    assertThat(sameEndpoint(stalledResumed.endpoint(), streamMember.clientEndpoint())).isFalse();
                    assertThat(stalledResumed.fromRevision()).as("resumes from its last delivered revision + 1")
                            .isEqualTo(stalled.revisionBeforeLastDisconnect() + 1);
                    assertThat(sw.nextRevision()).isGreaterThan(to);
                }
            } finally {
                stalled.open();
                writer.stop();
            }
            return rec;
        }
    }

    static void awaitTrue(String what, java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - end).as("waited %s s for %s", WAIT.toSeconds(), what).isNegative();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
        }
    }

    // ---- scenario 4: compaction while the watch stream cannot reconnect ---------------------------------------

    @Test
    void compactionWhileDisconnectedEndsAPlainWatchAndResyncsASubscription() {
        long began = System.nanoTime();
        String name = "compaction";
        String prefix = "wf/" + name + "/";
        EtcdMember m = aFollower();
        List<String> others = ETCD.cluster().members().stream().filter(x -> x != m).map(EtcdMember::clientEndpoint)
                .toList();
        WatchDeliveryChecker plainChecker = new WatchDeliveryChecker();
        WatchDeliveryChecker subChecker = new WatchDeliveryChecker();
        try (EtcdClient writerClient = EtcdClient.builder().endpoints(others).build();
                EtcdClient onlyM = EtcdClient.builder().endpoints(m.clientEndpoint()).build()) {
            long start = writerClient.kv().put("wf/" + name + ".start", "x").revision() + 1;
            FaultWriter writer = new FaultWriter(name, writerClient, prefix, 4242, plainChecker, subChecker);
            FaultRecorder plain = new FaultRecorder();
            FaultRecorder sub = new FaultRecorder();
            try {
                writer.start();
                writer.awaitAcks(HISTORY);
                try (Watcher pw = onlyM.watches().watch(Watch.prefix(prefix).fromRevision(start), plain);
                        Watcher sw = onlyM.watches().subscribe(Subscribe.prefix(prefix).pageSize(20), sub)) {
                    long live = writer.awaitAcks(writer.acked() + STEP);
                    plain.awaitRevision(live);
                    sub.await("the snapshot", r -> r.snapshotComplete != null);
                    sub.awaitRevision(live);
                    assertThat(streamMember(onlyM)).isSameAs(m);

                    m.kill();
                    plain.await("a DisconnectedEvent", r -> r.disconnects() > 0);
                    sub.await("a DisconnectedEvent", r -> r.disconnects() > 0);
                    long lastBeforeCompaction = writer.awaitAcks(writer.acked() + STEP);
                    long compactAt = writerClient.kv().range(Range.prefix(prefix).limit(1)).revision();
                    assertThat(compactAt).isGreaterThanOrEqualTo(lastBeforeCompaction);
                    Futures.await(CompactForTests.compact(writerClient, compactAt));
                    writer.awaitAcks(writer.acked() + STEP / 3); // more writes after the compaction, still offline

                    m.start();
                    ETCD.cluster().awaitHealthy(WAIT);

                    // The plain watcher cannot continue: its last event is CompactedEvent at the compaction.
                    CompactedEvent compacted = plain.await("a CompactedEvent", r -> r.compacted);
                    assertThat(compacted.compactRevision()).isEqualTo(compactAt);
                    assertThat(compacted.requestedRevision()).isEqualTo(plain.revisionBeforeLastDisconnect() + 1)
                            .isLessThanOrEqualTo(compactAt);
                    assertThat(pw.isClosed()).isTrue();

                    // The subscription re-reads, emits the difference, and goes on live.
                    ResyncedEvent resynced = sub.await("a ResyncedEvent", r -> r.resynced);
                    assertThat(resynced.compactRevision()).isEqualTo(compactAt);
                    assertThat(resynced.revision()).isGreaterThanOrEqualTo(compactAt);
                    sub.awaitRevision(writer.awaitAcks(writer.acked() + STEP));
                    writer.stop();
                    long to = writer.fence();
                    sub.awaitRevision(to);

                    List<WatchEvent> plainEvents = plain.events();
                    assertThat(plainEvents.get(plainEvents.size() - 1)).as("the plain watcher's last event")
                            .isEqualTo(compacted);
                    assertThat(plainEvents.stream().filter(e -> e instanceof DisconnectedEvent).count())
                            .as("the outage was announced before the compaction").isEqualTo(1);
                    feed(plainChecker, plainEvents);
                    // Everything before the revision the watcher needed was delivered; the rest is compacted away
                    // (no view comparison: the store at that revision can no longer be read).
                    WatchDeliveryChecker.Report plainReport = plainChecker.check(start,
                            compacted.requestedRevision() - 1, null);
                    printSummary(name + "/plain", plainReport, plain, writer, began,
                            "ended with compaction at " + compacted.compactRevision() + " needing "
                                    + compacted.requestedRevision());
                    assertClean(plainReport);
                    assertThat(plainReport.compactions()).isEqualTo(1);

                    List<WatchEvent> subEvents = sub.events();
                    feed(subChecker, subEvents);
                    long from = sub.snapshotComplete.revision() + 1;
                    WatchDeliveryChecker.Report subReport = subChecker.check(from, to, store(writerClient, prefix, to));
                    printSummary(name + "/subscription", subReport, sub, writer, began,
                            "resynced at " + resynced.revision());
                    assertClean(subReport);
                    assertThat(subReport.compactions()).isEqualTo(1);
                    assertThat(subReport.unresolvedCompactions()).isZero();
                    assertThat(subReport.view().isEmpty()).as("the final view equals the store").isTrue();
                    assertThat(sw.isClosed()).isFalse();
                    int open = subEvents.indexOf(subEvents.stream().filter(e -> e instanceof ResyncStartedEvent)
                            .findFirst().orElseThrow());
                    assertThat(subEvents.subList(open, subEvents.indexOf(resynced)).stream()
                            .filter(WatchFaultTest::isChange).count())
                            .as("changes in the difference emitted by the resync").isPositive();
                    // The outage is announced, and the subscription tells its consumer it is receiving again.
                    assertDisconnectThenResume(subEvents);
                }
            } finally {
                writer.stop();
            }
        }
    }

    // ---- back-pressure: a pause of the server-side watch must always be resumed ---------------------------------

    /**
     * Every response carries more events than the watcher's buffer (4 concurrent transactions of 32 puts), so each
     * one pauses the server-side watch; a fast consumer drains the buffer at once, possibly before the pause is in
     * place. The watcher must always resume: before the fix in {@code WatchStream.handleLocked}, a drain that
     * finished before {@code paused} was set found nothing to resume, and the watcher stalled for good (here within
     * the first few pauses, in every run on 2 cores).
     */
    @Test
    void aConsumerWhoseBufferFillsOnEveryBurstNeverStalls() {
        long began = System.nanoTime();
        String prefix = "wf/bursts/";
        WatchDeliveryChecker checker = new WatchDeliveryChecker();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build()) {
            long start = client.kv().put("wf/bursts.start", "x").revision() + 1;
            long pausesBefore = ((DefaultEtcdClient) client).watchEngine().slowConsumerPauses();
            FaultRecorder rec = new FaultRecorder();
            try (Watcher w = client.watches().watch(Watch.prefix(prefix).fromRevision(start).bufferSize(16), rec)) {
                int seq = 0;
                long to = 0;
                for (int round = 0; round < 100; round++) {
                    List<java.util.concurrent.CompletableFuture<io.etcdkit.kv.TxnResult>> inFlight = new ArrayList<>();
                    List<List<String>> keys = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        List<io.etcdkit.kv.Op> puts = new ArrayList<>();
                        List<String> written = new ArrayList<>();
                        for (int k = 0; k < 32; k++, seq++) {
                            String key = prefix + "k" + (seq % 200);
                            puts.add(io.etcdkit.kv.Put.of(key, "v" + seq));
                            written.add(key + "=v" + seq);
                        }
                        keys.add(written);
                        inFlight.add(client.kv().commitAsync(io.etcdkit.kv.Transaction.always().then(puts)));
                    }
                    for (int t = 0; t < inFlight.size(); t++) {
                        long revision = Futures.await(inFlight.get(t)).revision();
                        for (String kv : keys.get(t)) {
                            String[] parts = kv.split("=", 2);
                            checker.acknowledged(parts[0], revision, WatchDeliveryChecker.Kind.PUT, parts[1]);
                        }
                        to = Math.max(to, revision);
                    }
                }
                // A last single put: once it is delivered, so is every event of the (multi-event) revisions before.
                to = client.kv().put(prefix + "fence", "fence").revision();
                checker.acknowledged(prefix + "fence", to, WatchDeliveryChecker.Kind.PUT, "fence");
                rec.awaitRevision(to);
                feed(checker, rec.events());
                WatchDeliveryChecker.Report report = checker.check(start, to, store(client, prefix, to));
                long pauses = ((DefaultEtcdClient) client).watchEngine().slowConsumerPauses() - pausesBefore;
                System.out.printf("WATCH-FAULT %-24s %s; longest delivery gap %d ms; %d back-pressure pauses; "
                        + "%.1f s%n", "bursts", report.summary(), rec.longestGapNanos() / 1_000_000, pauses,
                        (System.nanoTime() - began) / 1e9);
                assertClean(report);
                assertThat(pauses).as("back-pressure pauses").isGreaterThanOrEqualTo(5);
                assertThat(w.nextRevision()).isGreaterThan(to);
            }
        }
    }

    // ---- judging --------------------------------------------------------------------------------------------

    /**
     * Feeds recorded events to the checker in delivery order. A subscription's snapshot (the puts before its
     * {@link SnapshotCompleteEvent}) becomes the checker's snapshot. A subscription announces a resync with
     * {@link ResyncStartedEvent}, emits the difference, then {@link ResyncedEvent} with the re-read's revision R;
     * the checker wants {@code compacted} and {@code resynced(R)} before the difference, so both markers are
     * recorded at the ResyncStartedEvent's place, with R looked up from the ResyncedEvent that closes it.
     */
    static void feed(WatchDeliveryChecker checker, List<WatchEvent> events) {
        int begin = 0;
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) instanceof SnapshotCompleteEvent s) {
                Map<String, String> contents = new TreeMap<>();
                for (WatchEvent e : events.subList(0, i)) {
                    assertThat(e).as("snapshot phase").isInstanceOf(PutEvent.class);
                    PutEvent p = (PutEvent) e;
                    contents.put(p.kv().keyAsString(), p.kv().valueAsString());
                }
                checker.snapshot(contents, s.revision());
                begin = i + 1;
                break;
            }
        }
        Map<Integer, ResyncedEvent> closedBy = new TreeMap<>();
        int started = -1;
        for (int j = begin; j < events.size(); j++) {
            WatchEvent e = events.get(j);
            if (e instanceof ResyncStartedEvent) {
                assertThat(started).as("ResyncStartedEvent at %d while the resync from %d is open", j, started)
                        .isNegative();
                started = j;
            } else if (e instanceof ResyncedEvent r) {
                assertThat(started).as("a ResyncStartedEvent opens the resync that %s closes", r).isNotNegative();
                assertThat(((ResyncStartedEvent) events.get(started)).compactRevision()).isEqualTo(r.compactRevision());
                closedBy.put(started, r);
                started = -1;
            }
        }
        assertThat(started).as("the resync started at %d is closed by a ResyncedEvent", started).isNegative();
        for (int i = begin; i < events.size(); i++) {
            WatchEvent e = events.get(i);
            if (e instanceof ResyncStartedEvent opening) {
                checker.compacted(opening.compactRevision());
                checker.resynced(closedBy.get(i).revision());
            } else if (e instanceof PutEvent p) {
                checker.delivered(p.kv().keyAsString(), p.revision(), WatchDeliveryChecker.Kind.PUT,
                        p.kv().valueAsString());
            } else if (e instanceof DeleteEvent d) {
                checker.delivered(d.key().toStringUtf8(), d.revision(), WatchDeliveryChecker.Kind.DELETE, null);
            } else if (e instanceof DisconnectedEvent) {
                checker.disconnected();
            } else if (e instanceof ResumedEvent) {
                checker.resumed();
            } else if (e instanceof CompactedEvent c) {
                checker.compacted(c.compactRevision());
            } else if (e instanceof EndedEvent ended) {
                throw new AssertionError("the watch ended: " + ended.cause(), ended.cause());
            }
            // ResyncedEvent: recorded at its ResyncStartedEvent; ProgressEvent: no marker.
        }
    }

    static boolean isChange(WatchEvent e) {
        return e instanceof PutEvent || e instanceof DeleteEvent;
    }

    static void assertClean(WatchDeliveryChecker.Report report) {
        assertThat(report.lost().isEmpty()).as("lost: %s", report).isTrue();
        assertThat(report.duplicated().isEmpty()).as("duplicated: %s", report).isTrue();
        assertThat(report.outOfOrder().isEmpty()).as("out of order: %s", report).isTrue();
        report.assertClean();
    }

    /**
     * At least one DisconnectedEvent; each one followed by a ResumedEvent before the next DisconnectedEvent and
     * before any change (nothing is delivered while disconnected); connected again at the end.
     */
    static void assertDisconnectThenResume(List<WatchEvent> events) {
        boolean connected = true;
        int outages = 0;
        for (int i = 0; i < events.size(); i++) {
            WatchEvent e = events.get(i);
            if (e instanceof DisconnectedEvent) {
                assertThat(connected).as("DisconnectedEvent #%d at %d without a ResumedEvent since the last one",
                        outages + 1, i).isTrue();
                connected = false;
                outages++;
            } else if (e instanceof ResumedEvent) {
                assertThat(connected).as("ResumedEvent at %d without a DisconnectedEvent before it", i).isFalse();
                connected = true;
            } else if (isChange(e)) {
                assertThat(connected).as("change %s delivered while disconnected", e).isTrue();
            }
        }
        assertThat(outages).as("DisconnectedEvents delivered").isPositive();
        assertThat(connected).as("a ResumedEvent follows the last DisconnectedEvent").isTrue();
    }

    static Map<String, String> store(EtcdClient client, String prefix, long revision) {
        Map<String, String> store = new TreeMap<>();
        for (KeyValue kv : client.kv().range(Range.prefix(prefix).atRevision(revision)).kvs()) {
            store.put(kv.keyAsString(), kv.valueAsString());
        }
        return store;
    }

    static void printSummary(String name, WatchDeliveryChecker.Report report, FaultRecorder rec, FaultWriter writer,
            long beganNanos, String detail) {
        System.out.printf("WATCH-FAULT %-24s %s; longest delivery gap %d ms; outage %d ms; %s; writer %s; "
                + "events [%s]; %.1f s%n", name, report.summary(), rec.longestGapNanos() / 1_000_000,
                rec.longestOutageNanos() / 1_000_000, detail, writer.describe(), rec.markers(),
                (System.nanoTime() - beganNanos) / 1e9);
    }

    // ---- cluster helpers --------------------------------------------------------------------------------------

    static EtcdMember aFollower() {
        EtcdMember leader = ETCD.cluster().leader();
        return ETCD.cluster().members().stream().filter(m -> m != leader).findFirst().orElseThrow();
    }

    /** All client endpoints, {@code first}'s at the front. */
    static List<String> endpointsFirst(EtcdMember first) {
        List<String> list = new ArrayList<>();
        list.add(first.clientEndpoint());
        ETCD.cluster().members().stream().filter(m -> m != first).forEach(m -> list.add(m.clientEndpoint()));
        return list;
    }

    /** The member the client's (single) watch stream runs on. */
    static EtcdMember streamMember(EtcdClient client) {
        List<String> on = ((DefaultEtcdClient) client).watchEngine().connectedEndpoints();
        assertThat(on).as("the client's watch streams").hasSize(1);
        return ETCD.cluster().members().stream().filter(m -> sameEndpoint(m.clientEndpoint(), on.get(0)))
                .findFirst().orElseThrow(() -> new AssertionError("no member serves " + on.get(0)));
    }

    static boolean sameEndpoint(String a, String b) {
        URI x = URI.create(a.trim());
        URI y = URI.create(b.trim());
        return x.getHost().equalsIgnoreCase(y.getHost()) && x.getPort() == y.getPort();
    }

    /** Holds until {@code deadlineNanos}: the length of a fault, not a wait for a condition. */
    static void holdUntil(long deadlineNanos) {
        long left;
        while ((left = deadlineNanos - System.nanoTime()) > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
