package io.etcdkit.recipes.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.etcdkit.EtcdClient;
import io.etcdkit.codec.Codecs;
import io.etcdkit.recipes.cache.CachedView;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.testing.EtcdClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 10,000 virtual threads lock and unlock mutexes and read a cached view without pinning their carrier threads:
 * JFR's {@code jdk.VirtualThreadPinned} events (threshold 0) must show none from the workload. Runs on Java 21 and
 * later; skipped on 17. Compiled at release 17, so virtual threads are made through reflection.
 */
class VirtualThreadPinningTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.singleMember();

    static final int THREADS = 10_000;
    static final int MUTEXES = 16;
    static final String PINNED = "jdk.VirtualThreadPinned";

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void tenThousandVirtualThreadsLockUnlockAndReadWithoutPinning() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        try (EtcdClient client = EtcdClient.builder().endpoints(ETCD.clientEndpoints()).build();
                Session session = Session.open(client, Duration.ofSeconds(30));
                CachedView<String> view = CachedView.open(client, "vt-config/", Codecs.text())) {
            long written = client.kv().put("vt-config/mode", "on").revision();
            assertThat(view.awaitReady(Duration.ofSeconds(10))).isTrue();
            // ready means its snapshot is loaded, which may predate the put (the view opened first): wait for it
            assertThat(view.awaitRevision(written, Duration.ofSeconds(10))).isTrue();
            List<Mutex> mutexes = new ArrayList<>();
            for (int i = 0; i < MUTEXES; i++) {
                mutexes.add(Mutex.of(session, "vt-locks/" + i));
            }
            AtomicLong[] counters = new AtomicLong[MUTEXES];
            for (int i = 0; i < MUTEXES; i++) {
                counters[i] = new AtomicLong();
            }
            AtomicInteger reads = new AtomicInteger();
            ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();

            Workload round = () -> {
                List<Thread> threads = new ArrayList<>(THREADS);
                for (int t = 0; t < THREADS; t++) {
                    int n = t;
                    threads.add(virtual.newThread(() -> {
                        try {
                            Mutex m = mutexes.get(n % MUTEXES);
                            try (HeldLock held = m.lock()) {
                                counters[n % MUTEXES].incrementAndGet();
                                if (view.get("vt-config/mode").filter("on"::equals).isPresent()) {
                                    reads.incrementAndGet();
                                }
                            }
                        } catch (Throwable e) {
                            failures.add(e);
                        }
                    }));
                }
                threads.forEach(Thread::start);
                for (Thread th : threads) {
                    th.join();
                }
            };
            // Warm-up: the first use of a class by several virtual threads at once pins them while the JVM loads
            // and initializes it (a one-time JVM matter, not a lock of ours), so every class is loaded first —
            // those of the contended paths too (a waiter's deadline timer, the hand-off), hence a whole round.
            round.run();
            assertThat(failures).isEmpty();
            for (AtomicLong c : counters) {
                c.set(0);
            }
            reads.set(0);
            List<RecordedEvent> pinned = record(round);

            assertThat(failures).isEmpty();
            assertThat(reads).hasValue(THREADS);
            long total = 0;
            for (AtomicLong c : counters) {
                total += c.get();
            }
            assertThat(total).isEqualTo(THREADS);
            assertThat(pinned).as("pinned virtual threads: %s", describe(pinned)).isEmpty();
        }
    }

    /** The detector works: a virtual thread blocking in a class initializer pins its carrier on every JDK. */
    @Test
    void theDetectorSeesAPinnedVirtualThread() throws Exception {
        ThreadFactory virtual = virtualThreadFactory();
        List<RecordedEvent> pinned = record(() -> {
            Thread t = virtual.newThread(() -> {
                if (SlowInit.READY) {
                    return;
                }
            });
            t.start();
            t.join();
        });
        assertThat(pinned).isNotEmpty();
    }

    /** Parks in its class initializer: a virtual thread that initializes it is pinned. */
    static final class SlowInit {
        static final boolean READY = sleep();

        private static boolean sleep() {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }
    }

    interface Workload {
        void run() throws Exception;
    }

    /** Runs {@code work} under a JFR recording of pinned virtual threads and returns the events it saw. */
    static List<RecordedEvent> record(Workload work) throws Exception {
        Path file = Files.createTempFile("vt-pinning", ".jfr");
        try (Recording recording = new Recording()) {
            recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
            recording.start();
            work.run();
            recording.stop();
            recording.dump(file);
            List<RecordedEvent> events = new ArrayList<>();
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (e.getEventType().getName().equals(PINNED)) {
                    events.add(e);
                }
            }
            return events;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static String describe(List<RecordedEvent> events) {
        StringBuilder b = new StringBuilder();
        for (RecordedEvent e : events.subList(0, Math.min(3, events.size()))) {
            b.append("\n  pinned for ").append(e.getDuration()).append(" at");
            if (e.getStackTrace() != null) {
                for (RecordedFrame f : e.getStackTrace().getFrames()) {
                    b.append("\n    ").append(f.getMethod().getType().getName()).append('.')
                            .append(f.getMethod().getName()).append(':').append(f.getLineNumber());
                }
            }
        }
        return b.toString();
    }

    /** {@code Thread.ofVirtual().factory()} by reflection; the test is skipped on a JDK without virtual threads. */
    static ThreadFactory virtualThreadFactory() throws ReflectiveOperationException {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21 or later; running on "
                + Runtime.version());
        Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
        Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder");
        return (ThreadFactory) ofVirtual.getMethod("factory").invoke(builder);
    }
}
