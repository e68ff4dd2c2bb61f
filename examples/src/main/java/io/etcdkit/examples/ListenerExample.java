package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.Watcher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Listening to the client: a listener that counts calls by name and outcome, watch events delivered and lock
 * holds, registered on the builder. It only counts (it must not block or call etcd); the program prints the
 * figures at the end. Uses keys under {@code examples/listener/}.
 */
public final class ListenerExample {
    private ListenerExample() {
    }

    /** Counts what the client and the recipes report; thread-safe, never blocks. */
    static final class Counting implements EtcdListener {
        final Map<String, LongAdder> calls = new ConcurrentHashMap<>();
        final LongAdder eventsDelivered = new LongAdder();
        final LongAdder locksHeld = new LongAdder();

        @Override
        public CallListener callStarted(CallInfo call) {
            return new CallListener() {
                @Override
                public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
                    calls.computeIfAbsent(call.fullName() + " " + outcome, k -> new LongAdder()).increment();
                }
            };
        }

        @Override
        public void watchEventsDelivered(int count) {
            eventsDelivered.add(count);
        }

        @Override
        public void lockReleased(String lock, Duration held) {
            locksHeld.increment();
        }
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        Counting counting = new Counting();
        try (EtcdClient client = EtcdClient.builder().endpoints(ExampleClient.endpoints(args))
                .listener(counting)    // repeatable: every registered listener hears everything
                .build()) {
            CountDownLatch twoPuts = new CountDownLatch(2);
            long first = client.kv().put("examples/listener/a", "1").revision();
            try (Watcher w = client.watches().watch(Watch.prefix("examples/listener/").fromRevision(first), e -> {
                if (e instanceof PutEvent) {
                    twoPuts.countDown();
                }
            })) {
                client.kv().put("examples/listener/b", "2");
                client.kv().get("examples/listener/a");
                twoPuts.await(10, TimeUnit.SECONDS);
            }
            try (Session session = Session.open(client); HeldLock held = Mutex.of(session, "examples/listener/lock")
                    .lock()) {
                out.println("holding the lock, token " + held.fencingToken());
            }
            client.kv().deletePrefix("examples/listener/");
        }
        new TreeMap<>(counting.calls).forEach((call, n) -> out.println(call + ": " + n.sum()));
        out.println("watch events delivered: " + counting.eventsDelivered.sum());
        out.println("lock holds: " + counting.locksHeld.sum());
    }
}
