package io.etcdkit.soak.workload;

import io.etcdkit.EtcdClient;
import io.etcdkit.soak.OperationLog;
import io.etcdkit.soak.SoakClients;
import io.etcdkit.soak.Workload;
import io.etcdkit.soak.WorkloadThreads;
import io.etcdkit.testing.check.CheckReport;
import io.etcdkit.testing.check.Findings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every workload has: a name, the run's seed, its operation log, its worker threads and the clients it opened
 * (closed by {@link #close}).
 */
abstract class AbstractWorkload implements Workload {
    /** How long {@link #stop} waits for the workers' current steps. */
    static final Duration STOP_WAIT = Duration.ofSeconds(30);

    final long seed;
    final OperationLog log;
    final WorkloadThreads threads;
    private final String name;
    private final SoakClients clients;
    private final List<EtcdClient> open = new ArrayList<>();

    AbstractWorkload(String name, SoakClients clients, long seed) {
        this.name = name;
        this.clients = clients;
        this.seed = seed;
        this.log = new OperationLog(name);
        this.threads = new WorkloadThreads(name);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final OperationLog log() {
        return log;
    }

    /** A new client, closed with the workload. */
    final synchronized EtcdClient openClient() {
        EtcdClient client = clients.open();
        open.add(client);
        return client;
    }

    @Override
    public void stop() throws InterruptedException {
        threads.stop(STOP_WAIT);
    }

    /** Closes what the workload opened besides its clients (watchers, views); called before the clients close. */
    void closeRecipes() {
    }

    @Override
    public final void close() {
        try {
            closeRecipes();
        } finally {
            List<EtcdClient> clientsToClose;
            synchronized (this) {
                clientsToClose = List.copyOf(open);
            }
            clientsToClose.forEach(EtcdClient::close);
        }
    }

    /** The number of problems in a checker's report, all kinds together. */
    static long violations(CheckReport report) {
        return report.findings().stream().mapToLong(Findings::count).sum();
    }

    /**
     * Adds the report's description (up to 20 samples per kind) and the first unexpected failure of {@code group}
     * to {@code details}.
     *
     * @return how many violations those are (the report's plus one for a failed worker)
     */
    static long describe(CheckReport report, WorkloadThreads group, List<String> details) {
        long violations = violations(report);
        if (!report.isClean()) {
            details.add(report.describe(20));
        }
        if (group.failure() != null) {
            violations++;
            details.add("a worker failed: " + group.failure());
        }
        return violations;
    }
}
