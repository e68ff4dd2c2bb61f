package io.etcdkit.bench;

import io.etcdkit.testing.EtcdCluster;
import io.etcdkit.testing.EtcdMember;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;

/**
 * The benchmark: etcdkit side by side with jetcd against the same cluster, in the same JVM.
 *
 * <p>Per workload: delete the workload's keys, compact and defragment, preload keys when the workload reads; then
 * per client: check it writes and reads back, and warm it up ({@code --warmup-ops}, extended while the JIT is
 * still busy). Then the measured phase: {@code --ops} per client, split into {@code --slices} slices that the
 * clients run in turn (A B, B A, A B, ...), so that load from other processes on the machine falls on both
 * alike; at most {@code --in-flight} requests outstanding. Reported: throughput, latency percentiles
 * (HdrHistogram), client CPU per operation ({@code OperatingSystemMXBean.getProcessCpuTime()} over the measured
 * slices / ops; etcd is a separate process and is not counted), etcd's CPU per operation when the harness started
 * it, allocation per operation, and etcdkit/jetcd ratios. See README.md for the command.
 */
public final class BenchMain {

    /** The warm-up goes on while compiler threads use more than this share of the process's CPU. */
    private static final double JIT_SETTLED = 0.05;

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
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
                cluster = EtcdCluster.builder().members(1).build();
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
            boolean localCluster, PrintStream out, PrintStream progress) throws Exception {
        Meters meters = new Meters(serverPids);
        ThreadCpu threadCpu = new ThreadCpu(meters.clockTicksPerSecond());
        List<Result> results = new ArrayList<>();
        Map<String, Target> targets = new LinkedHashMap<>();
        long started = System.nanoTime();
        try (Admin admin = new Admin(endpoints); PhaseRunner runner = new PhaseRunner(progress)) {
            printHeader(out, o, endpoints, localCluster, admin.serverVersion());
            for (String name : o.clients()) {
                targets.put(name, switch (name) {
                    case "jetcd" -> new JetcdTarget(endpoints);
                    default -> name.startsWith("etcdkit") ? new EtcdkitTarget(name, endpoints)
                            : new RawGrpcTarget(name, endpoints);
                });
            }
            for (Workload w : o.workloads()) {
                results.addAll(runWorkload(o, w, targets, admin, runner, meters, threadCpu, out));
            }
        } finally {
            for (Target t : targets.values()) {
                try {
                    t.close();
                } catch (RuntimeException e) {
                    progress.println("closing " + t.name() + " failed: " + e);
                }
            }
        }
        Report.printTable(out, results, o.workloads(), o.clients(), o.slices());
        if (o.csv() != null) {
            Report.writeCsv(o.csv(), results, o.workloads(), o.clients());
            out.println();
            out.println("CSV written to " + o.csv().toAbsolutePath());
        }
        out.printf(Locale.ROOT, "%nTotal time %.0f s.%n", (System.nanoTime() - started) / 1e9);
        return results.stream().anyMatch(r -> r.errors() > 0) ? 1 : 0;
    }

    private static List<Result> runWorkload(BenchOptions o, Workload w, Map<String, Target> targets, Admin admin,
            PhaseRunner runner, Meters meters, ThreadCpu threadCpu, PrintStream out) throws Exception {
        KeySpace keys = new KeySpace("bench/" + w.id() + "/", o.keySpace(), o.valueSize());
        admin.reset(keys);
        if (w.needsPreload()) {
            admin.preload(keys);
        }
        // With --jfr, a recording runs from the first warm-up on: JFR's own Java code gets compiled then, not in
        // the measured slices (each of which is recorded separately and appended to the client's file).
        Recording primer = null;
        if (o.jfrDir() != null) {
            Files.createDirectories(o.jfrDir());
            for (String name : targets.keySet()) {
                Files.deleteIfExists(jfrFile(o, w, name));
            }
            primer = samplingRecording(w.id() + " warm-up");
            primer.start();
        }
        try {
            Map<String, Target.Operation> ops = new LinkedHashMap<>();
            Map<String, Long> next = new LinkedHashMap<>();
            Map<String, List<PhaseRunner.Phase>> slices = new LinkedHashMap<>();
            for (Target target : targets.values()) {
                target.verify((keys.prefix() + "verify-" + target.name()).getBytes(StandardCharsets.UTF_8),
                        keys.value());
                Target.Operation op = target.prepare(w, keys);
                ops.put(target.name(), op);
                next.put(target.name(), warmUp(o, w, target, op, runner, meters, threadCpu, out));
                slices.put(target.name(), new ArrayList<>());
            }
            for (int s = 0; s < o.slices(); s++) {
                int sliceOps = o.ops() / o.slices() + (s < o.ops() % o.slices() ? 1 : 0);
                List<String> order = new ArrayList<>(targets.keySet());
                if (s % 2 == 1) {
                    Collections.reverse(order); // A B, B A, A B, ...: neither always goes first
                }
                for (String name : order) {
                    System.gc();
                    Thread.sleep(300);
                    String label = w.id() + " / " + name + (o.slices() > 1 ? " " + (s + 1) + "/" + o.slices() : "");
                    Recording jfr = null;
                    if (o.jfrDir() != null) {
                        jfr = samplingRecording(label);
                        jfr.start();
                    }
                    long tasksBefore = targets.get(name) instanceof EtcdkitTarget e ? e.tasks() : 0;
                    PhaseRunner.Phase phase;
                    try {
                        phase = runner.run(label, ops.get(name), next.get(name), sliceOps, o.inFlight(), meters,
                                threadCpu);
                    } finally {
                        if (jfr != null) {
                            jfr.stop();
                            appendRecording(jfr, jfrFile(o, w, name));
                        }
                    }
                    next.merge(name, (long) sliceOps, Long::sum);
                    if (name.equals("etcdkit+counting")) {
                        out.printf(Locale.ROOT, "  %-44s %.2f callback-executor tasks per operation%n", label,
                                (double) (((EtcdkitTarget) targets.get(name)).tasks() - tasksBefore) / sliceOps);
                    }
                    slices.get(name).add(phase);
                    if (o.slices() > 1) {
                        out.printf(Locale.ROOT, "  %-44s %,9d ops %,8.0f ops/s  cpu %6.1f µs/op  other %.2f cores%n",
                                label, phase.ops(), phase.ops() / (phase.used().elapsedNanos() / 1e9),
                                phase.used().processCpuNanos() / 1e3 / phase.ops(),
                                phase.used().otherCpuNanos() < 0 ? Double.NaN
                                        : (double) phase.used().otherCpuNanos() / phase.used().elapsedNanos());
                    }
                }
            }
            List<Result> results = new ArrayList<>();
            for (String name : targets.keySet()) {
                Result r = Result.of(w, name, slices.get(name));
                results.add(r);
                out.printf(Locale.ROOT, "%-36s measured %,9d ops %,9.0f ops/s  p50 %,6.0f  p99 %,7.0f  p99.9 %,7.0f µs"
                        + "  cpu %5.1f µs/op (JIT %.1f)  other %.2f cores%s%n", w.id() + " / " + name, r.phase().ops(),
                        r.opsPerSecond(), r.latencyMicros(50), r.latencyMicros(99), r.latencyMicros(99.9),
                        r.cpuMicrosPerOp(), r.jitMicrosPerOp(), r.otherCores(),
                        r.errors() > 0 ? "  " + r.errors() + " errors, first: " + r.phase().firstError() : "");
                if (o.threadCpu()) {
                    printThreadCpu(out, r.phase());
                    PhaseRunner.Phase last = r.slices().get(r.slices().size() - 1);
                    out.println("    threads that used CPU in the last slice (and were born in it): " + last
                            .threadCpuNanos().keySet().stream().filter(k -> k.contains("("))
                            .sorted().collect(Collectors.joining(", ")));
                }
                if (o.jfrDir() != null) {
                    out.println("    JFR recording of the measured slices: " + jfrFile(o, w, name).toAbsolutePath());
                }
            }
            out.println();
            return results;
        } finally {
            if (primer != null) {
                primer.close();
            }
            admin.reset(keys);
        }
    }

    /**
     * Runs {@code --warmup-ops} operations, then more in chunks while the JIT compiler threads use over 5 % of this
     * process's CPU (up to {@code --max-extra-warmup-ops}), so that no client pays in its measured phase for
     * compiling code that all share (gRPC core, protobuf). Returns the index of the next operation.
     */
    private static long warmUp(BenchOptions o, Workload w, Target target, Target.Operation op, PhaseRunner runner,
            Meters meters, ThreadCpu threadCpu, PrintStream out) throws InterruptedException {
        if (o.warmupOps() == 0) {
            return 0;
        }
        String tag = w.id() + " / " + target.name();
        PhaseRunner.Phase warm = runner.run(tag + " warm-up", op, 0, o.warmupOps(), o.inFlight(), meters, threadCpu);
        long next = o.warmupOps();
        long errors = warm.errors() + warm.unexpected();
        int chunk = Math.max(10_000, o.warmupOps() / 5);
        double jitShare = jitShare(warm);
        while (jitShare > JIT_SETTLED && next - o.warmupOps() < o.maxExtraWarmupOps()) {
            PhaseRunner.Phase more = runner.run(tag + " warm-up (JIT " + Math.round(jitShare * 100) + "%)", op, next,
                    chunk, o.inFlight(), meters, threadCpu);
            next += chunk;
            errors += more.errors() + more.unexpected();
            jitShare = jitShare(more);
        }
        out.printf(Locale.ROOT, "%-36s warm-up  %,9d ops (first %,d at %,.0f ops/s); JIT %s of CPU at the end%s%n",
                tag, next, warm.ops(), warm.ops() / (warm.used().elapsedNanos() / 1e9),
                Double.isNaN(jitShare) ? "n/a" : Math.round(jitShare * 100) + "%",
                errors > 0 ? "; " + errors + " errors, first: " + warm.firstError() : "");
        return next;
    }

    private static Path jfrFile(BenchOptions o, Workload w, String client) {
        return o.jfrDir().resolve(w.id() + "-" + client.replace('+', '_') + ".jfr");
    }

    /** Appends the recording's chunks to {@code file} (a JFR file is a sequence of chunks, so they concatenate). */
    private static void appendRecording(Recording jfr, Path file) throws java.io.IOException {
        Path tmp = Files.createTempFile("etcdkit-bench-", ".jfr");
        try {
            jfr.dump(tmp);
            Files.write(file, Files.readAllBytes(tmp), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } finally {
            jfr.close();
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Only sampling events: the 'default'/'profile' settings also enable events that retransform JDK classes
     * (socket and file I/O), which throws compiled code away and makes the JIT work through the phase.
     */
    private static Recording samplingRecording(String name) {
        Recording jfr = new Recording();
        jfr.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
        jfr.enable("jdk.NativeMethodSample").withPeriod(Duration.ofMillis(5));
        jfr.enable("jdk.ObjectAllocationSample").with("throttle", "300/s");
        jfr.enable("jdk.GarbageCollection");
        jfr.enable("jdk.CPULoad").withPeriod(Duration.ofSeconds(1));
        jfr.setName(name);
        return jfr;
    }

    /** The JIT compiler threads' share of this process's CPU during a phase, NaN when unknown. */
    private static double jitShare(PhaseRunner.Phase phase) {
        long jit = phase.jitCpuNanos();
        long all = phase.used().processCpuNanos();
        return jit < 0 || all <= 0 ? Double.NaN : (double) jit / all;
    }

    private static void printThreadCpu(PrintStream out, PhaseRunner.Phase phase) {
        if (phase.threadCpuNanos() == null) {
            out.println("    CPU by thread group: unknown (/proc not readable)");
            return;
        }
        long total = phase.threadCpuNanos().values().stream().mapToLong(Long::longValue).sum();
        out.printf(Locale.ROOT, "    CPU by thread group (µs/op; all threads %.1f, process %.1f):%n",
                total / 1e3 / phase.ops(), phase.used().processCpuNanos() / 1e3 / phase.ops());
        phase.threadCpuNanos().entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> e.getValue() * 200 >= total) // at least 0.5 %
                .forEach(e -> out.printf(Locale.ROOT, "      %-20s %7.1f  %5.1f %%%n", e.getKey(),
                        e.getValue() / 1e3 / phase.ops(), e.getValue() * 100.0 / total));
    }

    private static void printHeader(PrintStream out, BenchOptions o, List<String> endpoints, boolean local,
            String serverVersion) {
        Runtime rt = Runtime.getRuntime();
        String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName)
                .collect(Collectors.joining(", "));
        out.println("etcdkit-bench");
        out.printf(Locale.ROOT, "  machine : %d CPUs (availableProcessors), %s %s %s%n", rt.availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"));
        out.printf(Locale.ROOT, "  java    : %s %s (%s), max heap %d MiB, GC %s%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                System.getProperty("java.vendor"), rt.maxMemory() >> 20, gcs);
        out.printf(Locale.ROOT, "  etcd    : %s at %s%s%n", serverVersion, String.join(",", endpoints),
                local ? " (local 1-member cluster started by the harness)" : "");
        out.printf(Locale.ROOT, "  run     : workloads %s; clients %s%n",
                o.workloads().stream().map(Workload::id).collect(Collectors.joining(",")),
                String.join(", ", o.clients()));
        out.printf(Locale.ROOT, "            per workload and client: %,d warm-up ops (extended by up to %,d while the "
                + "JIT is busy), then %,d measured ops in %d slice(s);%n", o.warmupOps(), o.maxExtraWarmupOps(),
                o.ops(), o.slices());
        out.printf(Locale.ROOT, "            %d in flight, %d-byte values, %,d keys%n", o.inFlight(), o.valueSize(),
                o.keySpace());
        out.println();
    }
}
