package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueCodec;
import io.etcdkit.jackson.JacksonCodecs;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.kv.TxnResult;
import io.etcdkit.recipes.cache.CachedValue;
import io.etcdkit.recipes.election.LeaderLatch;
import io.etcdkit.recipes.election.LeaderLatchListener;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.registry.Registration;
import io.etcdkit.recipes.registry.ServiceInstance;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.SnapshotCompleteEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.Watcher;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The program of the "build your first service" guide (docs/first-service.md): a small job scheduler with a live
 * JSON configuration, a registry entry with a typed payload, a leader latch whose writes are fenced, a jobs
 * subscription and a fenced lock per job. Uses the prefix {@code examples/first/}.
 */
public final class FirstServiceExample {
    static final String ROOT = "examples/first/";
    static final String CONFIG = ROOT + "config";
    static final String JOBS = ROOT + "jobs/";
    static final String RESULTS = ROOT + "results/";
    static final String LOCKS = ROOT + "locks/";
    static final String PLAN = ROOT + "plan";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration TTL = Duration.ofSeconds(10);

    /** The scheduler's configuration, stored as JSON at {@code examples/first/config}. */
    public record SchedulerConfig(int maxParallelJobs, String greeting) {
    }

    /** What a scheduler instance tells its peers about itself: the registry payload. */
    public record Endpoint(String protocol, int port, String path) {
    }

    static final ValueCodec<SchedulerConfig> CONFIG_JSON = JacksonCodecs.json(SchedulerConfig.class);
    static final ValueCodec<Endpoint> ENDPOINT_JSON = JacksonCodecs.json(Endpoint.class);

    private FirstServiceExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}). */
    public static void main(String[] args) throws Exception {
        run(args, System.out);
    }

    static void run(String[] args, PrintStream out) throws Exception {
        try (EtcdClient client = ExampleClient.connect(args)) {
            client.kv().deletePrefix(ROOT);
            SchedulerConfig defaults = new SchedulerConfig(1, "hello");
            try (CachedValue<SchedulerConfig> config = CachedValue.open(client, CONFIG, CONFIG_JSON, defaults);
                 Session session = Session.open(client, TTL)) {
                config.awaitReady(WAIT);
                out.println("config at start: " + config.get());
                long revision = client.kv().put(CONFIG, "{\"maxParallelJobs\":4,\"greeting\":\"hi\"}").revision();
                config.awaitRevision(revision, WAIT); // someone ran: etcdctl put examples/first/config '{...}'
                out.println("config now: " + config.get());

                ServiceRegistry registry = ServiceRegistry.of(client, ROOT + "services/");
                ServiceInstance me = ServiceInstance.of("scheduler-1", "10.0.0.7:8080")
                        .withPayload(new Endpoint("http", 8080, "/jobs"), ENDPOINT_JSON);
                try (Registration registration = registry.register("scheduler", me, TTL)) {
                    for (ServiceInstance peer : registry.lookup("scheduler", ENDPOINT_JSON)) {
                        Endpoint endpoint = peer.payload(ENDPOINT_JSON).orElseThrow();
                        out.println("found " + peer.id() + " at " + peer.address() + " serving " + endpoint);
                    }
                    runAsLeader(client, session, config, out);
                }
            }
            client.kv().deletePrefix(ROOT);
        }
    }

    private static void runAsLeader(EtcdClient client, Session session, CachedValue<SchedulerConfig> config,
            PrintStream out) throws Exception {
        try (LeaderLatch latch = LeaderLatch.open(client, ROOT + "leader", "scheduler-1", TTL, quiet())) {
            if (!latch.await(WAIT)) {
                throw new IllegalStateException("not leader within " + WAIT);
            }
            TxnResult plan = client.kv().commit(Transaction.when(latch.guard())
                    .then(Put.of(PLAN, "planned by scheduler-1, epoch " + latch.epoch())));
            out.println("leader wrote the plan: " + plan.succeeded());

            BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
            try (Watcher jobs = client.watches().subscribe(Subscribe.prefix(JOBS), events::add)) {
                while (!(next(events) instanceof SnapshotCompleteEvent)) {
                    // the jobs that already exist would arrive here first
                }
                client.kv().put(JOBS + "report-1", "daily report");
                client.kv().put(JOBS + "report-2", "weekly report");
                for (int done = 0; done < 2; ) {
                    if (next(events) instanceof PutEvent put) {
                        runJob(client, session, put.kv(), config.get(), out);
                        done++;
                    }
                }
            }
        }
    }

    private static void runJob(EtcdClient client, Session session, KeyValue job, SchedulerConfig config,
            PrintStream out) throws InterruptedException {
        String name = job.keyAsString().substring(JOBS.length());
        try (HeldLock lock = Mutex.of(session, LOCKS + name).lock(WAIT)) {
            String result = config.greeting() + ", " + job.valueAsString() + " done";
            TxnResult write = client.kv().commit(Transaction.when(lock.guard()).then(Put.of(RESULTS + name, result)));
            out.println("ran " + name + " under its lock: " + write.succeeded() + " (" + result + ")");
        }
    }

    private static LeaderLatchListener quiet() {
        return new LeaderLatchListener() {
            @Override
            public void isLeader(long epoch) {
                // start the leader's duties here (or wait with await(), as above)
            }

            @Override
            public void notLeader(long epoch) {
                // stop them here: the guard already refuses the lost leader's writes
            }
        };
    }

    private static WatchEvent next(BlockingQueue<WatchEvent> events) throws InterruptedException {
        WatchEvent event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (event == null) {
            throw new IllegalStateException("no watch event within " + WAIT);
        }
        return event;
    }
}
