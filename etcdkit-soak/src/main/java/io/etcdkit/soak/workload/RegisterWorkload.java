package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Compare;
import io.etcdkit.kv.Put;
import io.etcdkit.kv.Transaction;
import io.etcdkit.soak.Outcome;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Verdict;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.soak.WriteErrors;
import io.etcdkit.testing.check.LinearizabilityChecker;
import io.etcdkit.testing.check.LinearizabilityReport;
import io.etcdkit.testing.check.RegisterHistory;
import io.etcdkit.testing.check.PendingOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * KV registers checked for linearizability: {@value #PROCESSES} processes on {@value #CLIENTS} clients (two
 * processes share each client, as threads of one service would) make random linearizable reads, writes of unique
 * values and compare-and-sets on {@value #KEYS} keys, recorded in a {@link RegisterHistory} and judged by
 * {@link LinearizabilityChecker}. A write or CAS refused before it could apply is recorded as failed; any other
 * error (outcome unknown, deadline) as unknown, which the checker treats as "may or may not have happened".
 */
public final class RegisterWorkload extends AbstractWorkload {
    static final int KEYS = 8;
    static final int PROCESSES = 6;
    static final int CLIENTS = 3;
    private static final String PREFIX = "soak/reg/";

    private final RegisterHistory history = new RegisterHistory();

    /**
     * Creates the workload.
     *
     * @param clients where its clients connect
     * @param seed the run's seed (each process draws its operations from seed + its number)
     */
    public RegisterWorkload(SoakClients clients, long seed) {
        super("registers", clients, seed);
    }

    @Override
    public void start() {
        List<EtcdClient> shared = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            shared.add(openClient());
        }
        for (int p = 0; p < PROCESSES; p++) {
            Process process = new Process(p, shared.get(p % CLIENTS), new Random(seed + p));
            threads.spawn("p" + p, process::step);
        }
    }

    /** One process: a sequential client thread; remembers the last value it saw per key for its CAS. */
    private final class Process {
        final int id;
        final EtcdClient client;
        final Random random;
        final Map<String, String> lastSeen = new HashMap<>();
        long written;

        Process(int id, EtcdClient client, Random random) {
            this.id = id;
            this.client = client;
            this.random = random;
        }

        void step() {
            String key = PREFIX + "k" + random.nextInt(KEYS);
            int dice = random.nextInt(10);
            String expected = lastSeen.get(key);
            if (dice < 4 || (dice >= 7 && expected == null)) {
                read(key);
            } else if (dice < 7) {
                write(key, "p" + id + "-" + written++);
            } else {
                cas(key, expected, "p" + id + "-" + written++);
            }
            WorkloadThreads.pause(random.nextInt(10));
        }

        void read(String key) {
            PendingOp op = history.invokeRead(id, key);
            long t0 = System.nanoTime();
            try {
                Optional<KeyValue> kv = client.kv().get(key);
                String value = kv.map(KeyValue::valueAsString).orElse(null);
                op.readOk(value);
                lastSeen.put(key, value);
                log.record(t0, Outcome.OK);
            } catch (EtcdException e) {
                op.failed(WriteErrors.describe(e)); // a read has no effect
                log.record(t0, Outcome.FAILED);
            }
        }

        void write(String key, String value) {
            PendingOp op = history.invokeWrite(id, key, value);
            long t0 = System.nanoTime();
            try {
                client.kv().put(key, value);
                op.writeOk();
                lastSeen.put(key, value);
                log.record(t0, Outcome.OK);
            } catch (EtcdException e) {
                settleError(op, t0, key, e);
            }
        }

        void cas(String key, String expected, String value) {
            PendingOp op = history.invokeCas(id, key, expected, value);
            long t0 = System.nanoTime();
            try {
                boolean applied = client.kv().commit(Transaction.when(Compare.value(key).equalTo(expected))
                        .then(Put.of(key, value))).succeeded();
                op.casOk(applied);
                if (applied) {
                    lastSeen.put(key, value);
                } else {
                    lastSeen.remove(key); // read before the next CAS on it
                }
                log.record(t0, Outcome.OK);
            } catch (EtcdException e) {
                settleError(op, t0, key, e);
            }
        }

        void settleError(PendingOp op, long t0, String key, EtcdException e) {
            Outcome outcome = WriteErrors.outcomeOf(e);
            if (outcome == Outcome.FAILED) {
                op.failed(WriteErrors.describe(e));
            } else {
                op.unknown(WriteErrors.describe(e));
                lastSeen.remove(key);
            }
            log.record(t0, outcome);
        }
    }

    @Override
    public Verdict check(Duration budget) {
        LinearizabilityReport report = LinearizabilityChecker.check(history.operations(), budget);
        List<String> details = new ArrayList<>(report.violations());
        Throwable failure = threads.failure();
        if (failure != null) {
            details.add("a process failed: " + failure);
        }
        List<String> undecided = report.inconclusiveKeys().stream().map(k -> "inconclusive: " + k).toList();
        details.addAll(undecided);
        return new Verdict(name(), "LinearizabilityChecker", details.size() - undecided.size(), undecided.isEmpty(),
                report.summary(), details);
    }
}
