package io.etcdkit.bench;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The benchmark: etcdkit side by side with jetcd against the same cluster, in the same JVM, workload after
 * workload (see {@link Workload}; each has a {@link WorkloadBench}). Every measurement warms each client up first
 * and then runs the clients' slices or rounds in turn (A B, B A, ...), so that load from other processes on the
 * machine falls on both alike. Reported per measurement and client: throughput, latency percentiles
 * (HdrHistogram), client CPU per operation ({@code OperatingSystemMXBean.getProcessCpuTime()} over the measured
 * stretches / operations; etcd is a separate process and is not counted), etcd's CPU per operation when the
 * harness started it, allocation per operation, and etcdkit/jetcd ratios; as a table on stdout and in
 * {@code report.txt}, as CSV and as one PNG chart per workload in the results folder. A progress bar runs on
 * stderr. See README.md for the commands.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true"); // charts are drawn into PNG files, never on a screen
        // before any logger exists: keep etcd launcher / jetcd / vert.x chatter off the progress line
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.UsageException e) {
            if (e.getMessage() != null) {
                System.err.println("error: " + e.getMessage());
                System.err.println();
            }
            System.err.println(BenchOptions.USAGE);
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        System.exit(run(options, System.out, System.err));
    }

    static int run(BenchOptions options, PrintStream out, PrintStream progress) throws Exception {
        EtcdCluster cluster = null;
        List<String> endpoints = options.endpoints();
        List<Long> serverPids = new ArrayList<>();
        try {
            if (endpoints.isEmpty()) {
                progress.println("starting a local 1-member etcd cluster (etcdkit-testing) ...");
                cluster = EtcdCluster.builder().members(1).extraArgs("--max-txn-ops=" + options.maxTxnOps()).build();
                cluster.start();
                endpoints = cluster.clientEndpoints();
                for (EtcdMember m : cluster.members()) {
                    serverPids.add(m.pid());
                }
            }
            return runAgainst(options, endpoints, serverPids, cluster != null, out, progress);
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    private static int runAgainst(BenchOptions o, List<String> endpoints, List<Long> serverPids,
            boolean localCluster, PrintStream out, PrintStream progressOut) throws Exception {
        Meters meters = new Meters(serverPids);
        ThreadCpu threadCpu = new ThreadCpu(meters.clockTicksPerSecond());
        List<Result> results = new ArrayList<>();
        Map<String, Target> targets = new LinkedHashMap<>();
        long started = System.nanoTime();
        Map<String, Double> seconds = new LinkedHashMap<>();
        String header;
        Files.createDirectories(o.out());
        try (Admin admin = new Admin(endpoints); ProgressBar progress = new ProgressBar(progressOut)) {
            header = header(o, endpoints, localCluster, admin.serverVersion());
            out.print(header);
            for (String name : o.clients()) {
                targets.put(name, switch (name) {
                    case "jetcd" -> new JetcdTarget(endpoints);
                    case "go" -> new GoTarget(endpoints);
                    default -> name.startsWith("etcdkit") ? new EtcdkitTarget(name, endpoints, o.maxTxnOps())
                            : new RawGrpcTarget(name, endpoints);
                });
            }
            BenchContext ctx = new BenchContext(o, targets, admin, meters, threadCpu, progress,
                    new PhaseRunner(progress, meters, threadCpu), out);
            for (Workload w : o.workloads()) {
                WorkloadBench bench = switch (w) {
                    case WATCH -> new WatchBench();
                    case WATCHERS -> new WatchersBench();
                    case LOCK -> new LockBench();
                    case BULK_LOAD -> new BulkLoadBench();
                    case SUBSCRIBE -> new SubscribeBench();
                    case WORK_QUEUE -> new WorkQueueBench();
                    case FAILOVER -> new FailoverBench();
                    default -> new OperationsBench();
                };
                long workloadStart = System.nanoTime();
                List<Result> rows = bench.run(w, ctx);
                seconds.put(w.id(), (System.nanoTime() - workloadStart) / 1e9);
                results.addAll(rows);
                writeWorkload(o, w, rows, out);
            }
        } finally {
            for (Target t : targets.values()) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    progressOut.println("closing " + t.name() + " failed: " + e);
                }
            }
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        try (PrintStream p = new PrintStream(table, true, StandardCharsets.UTF_8)) {
            Report.printTable(p, results, o.slices());
            p.printf(Locale.ROOT, "%nTotal time %.0f s (%s).%n", (System.nanoTime() - started) / 1e9,
                    seconds.entrySet().stream().map(e -> String.format(Locale.ROOT, "%s %.0f s", e.getKey(),
                            e.getValue())).collect(Collectors.joining(", ")));
        }
        String tableText = table.toString(StandardCharsets.UTF_8);
        out.print(tableText);
        Files.writeString(o.out().resolve("report.txt"), header + tableText);
        Report.writeCsv(o.out().resolve("results.csv"), results);
        if (o.csv() != null) {
            Report.writeCsv(o.csv(), results);
        }
        out.println();
        out.println("Results in " + o.out().toAbsolutePath() + " (report.txt, results.csv, <workload>.csv, "
                + "<workload>.png)");
        return results.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
    }

    /** The workload's CSV and chart, written as soon as it is done so that a later failure loses nothing. */
    private static void writeWorkload(BenchOptions o, Workload w, List<Result> rows, PrintStream out)
            throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        Report.writeCsv(o.out().resolve(w.id() + ".csv"), rows);
        try {
            Charts.write(o.out().resolve(w.id() + ".png"), w, rows);
        } catch (RuntimeException | IOException | Error e) {
            // a chart is a convenience: say why it is missing (e.g. no fonts installed) and go on
            out.println("  chart " + w.id() + ".png not written: " + e);
        }
    }

    private static String header(BenchOptions o, List<String> endpoints, boolean local, String serverVersion) {
        StringBuilder b = new StringBuilder();
        java.util.Formatter out = new java.util.Formatter(b, Locale.ROOT);
        Runtime rt = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        out.format("etcdkit-bench%s%n", o.quick() ? " (--quick: a smoke run, not a measurement)" : "");
        out.format("  machine : %d CPUs (availableProcessors), %s %s %s%n", rt.availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
        out.format("  java    : %s %s (%s), max heap %d MiB, GC %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), rt.maxMemory() >> 20, gcs);
        out.format("  etcd    : %s at %s%s; --max-txn-ops %d%s%n", serverVersion, String.join(",", endpoints),
                local ? " (local 1-member cluster started by the harness)" : "", o.maxTxnOps(),
                local ? "" : " (as told with --max-txn-ops)");
        out.format("  run     : workloads %s; clients %s%n",
                o.workloads().stream().map(Workload::id).collect(Collectors.joining(",")),
                String.join(", ", o.clients()));
        out.format("            per workload and client: %,d warm-up ops (extended by up to %,d while the "
                + "JIT is busy), then %,d measured ops in %d slice(s);%n", o.warmupOps(), o.maxExtraWarmupOps(),
                o.ops(), o.slices());
        out.format("            %d in flight, %d-byte values, %,d keys%n", o.inFlight(), o.valueSize(),
                o.keySpace());
        Sizes z = o.sizes();
        out.format("            rounds %d; watch: %,d events, %,d puts/s for %d s; watchers %,d (jetcd %,d);%n",
                z.rounds(), z.watchEvents(), z.watchRate(), z.watchSeconds(), z.watchers(), z.jetcdWatchers());
        out.format("            lock: %,d cycles, %d waiters; bulk-load %,d keys; subscribe %,d keys%n", z.lockOps(),
                z.lockWaiters(), z.bulkKeys(), z.subscribeKeys());
        out.format("  results : %s%n%n", o.out().toAbsolutePath());
        out.flush();
        return b.toString();
    }
}
