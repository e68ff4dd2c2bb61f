package io.etcdkit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Recording;

/**
 * The operation workloads (put, ranges, txn-put, lease-keepalive, cache-read): per workload, delete its keys,
 * compact and defragment, preload keys when it reads; then per client: check it writes and reads back, prepare
 * the operation, and warm it up ({@code --warmup-ops}, extended while the JIT is still busy). Then the measured
 * phase: {@code --ops} per client in {@code --slices} interleaved slices (A B, B A, ...), each after a GC and a
 * short pause. With {@code --jfr}, each measured slice is recorded.
 */
final class OperationsBench implements WorkloadBench {
    @Override
    public List<Result> run(Workload w, BenchContext ctx) throws Exception {
        BenchOptions o = ctx.options();
        KeySpace keys = new KeySpace("bench/" + w.id() + "/", o.keySpace(), o.valueSize());
        ctx.admin().reset(keys);
        if (w.needsPreload()) {
            ctx.admin().preload(keys);
        }
        // With --jfr, a recording runs from the first warm-up on: JFR's own Java code gets compiled then, not in
        // the measured slices (each of which is recorded separately and appended to the client's file).
        Recording primer = null;
        if (o.jfrDir() != null) {
            Files.createDirectories(o.jfrDir());
            for (String name : ctx.targets().keySet()) {
                Files.deleteIfExists(jfrFile(o, w, name));
            }
            primer = samplingRecording(w.id() + " warm-up");
            primer.start();
        }
        Map<String, Target.Operation> ops = new LinkedHashMap<>();
        try {
            Map<String, Long> next = new LinkedHashMap<>();
            Map<String, List<Phase>> slices = new LinkedHashMap<>();
            List<Target> running = new ArrayList<>();
            for (Target target : ctx.targets().values()) {
                target.verify((keys.prefix() + "verify-" + target.name()).getBytes(StandardCharsets.UTF_8),
                        keys.value());
                Target.Operation op;
                try {
                    op = target.prepare(w, keys);
                } catch (UnsupportedOperationException e) {
                    ctx.skipped(w, target, e.getMessage());
                    continue;
                }
                ops.put(target.name(), op);
                next.put(target.name(), warmUp(ctx, w, target, op));
                slices.put(target.name(), new ArrayList<>());
                running.add(target);
            }
            BenchContext.interleave(running, o.slices(), (target, s) -> {
                String name = target.name();
                int sliceOps = o.ops() / o.slices() + (s < o.ops() % o.slices() ? 1 : 0);
                BenchContext.settle();
                String label = w.id() + " / " + name + (o.slices() > 1 ? " " + (s + 1) + "/" + o.slices() : "");
                Recording jfr = null;
                if (o.jfrDir() != null) {
                    jfr = samplingRecording(label);
                    jfr.start();
                }
                long tasksBefore = target instanceof EtcdkitTarget e ? e.tasks() : 0;
                Phase phase;
                try {
                    phase = ctx.runner().run(label, ops.get(name), next.get(name), sliceOps, o.inFlight());
                } finally {
                    if (jfr != null) {
                        jfr.stop();
                        appendRecording(jfr, jfrFile(o, w, name));
                    }
                }
                next.merge(name, (long) sliceOps, Long::sum);
                if (name.equals("etcdkit+counting")) {
                    ctx.out().printf(Locale.ROOT, "  %-44s %.2f callback-executor tasks per operation%n", label,
                            (double) (((EtcdkitTarget) target).tasks() - tasksBefore) / phase.ops());
                }
                slices.get(name).add(phase);
                if (o.slices() > 1) {
                    ctx.out().printf(Locale.ROOT, "  %-44s %,9d ops %,10.0f ops/s  cpu %6.1f µs/op  other %.2f cores%n",
                            label, phase.ops(), phase.ops() / (phase.used().elapsedNanos() / 1e9),
                            phase.used().processCpuNanos() / 1e3 / phase.ops(),
                            phase.used().otherCpuNanos() < 0 ? Double.NaN
                                    : (double) phase.used().otherCpuNanos() / phase.used().elapsedNanos());
                }
            });
            List<Result> results = new ArrayList<>();
            for (Target target : running) {
                String name = target.name();
                String note = w == Workload.CACHE_READ ? (ops.get(name) instanceof Target.LocalOperation
                        ? "CachedView.get, in process" : "remote serializable get") : "";
                Result r = Result.of(w, w.id(), name, w.unit(), slices.get(name), note);
                results.add(r);
                ctx.printResult(r);
                if (o.threadCpu()) {
                    printThreadCpu(ctx.out(), r.phase());
                    Phase last = r.slices().get(r.slices().size() - 1);
                    ctx.out().println("    threads that used CPU in the last slice (and were born in it): " + last
                            .threadCpuNanos().keySet().stream().filter(k -> k.contains("("))
                            .sorted().collect(Collectors.joining(", ")));
                }
                if (o.jfrDir() != null) {
                    ctx.out().println("    JFR recording of the measured slices: "
                            + jfrFile(o, w, name).toAbsolutePath());
                }
            }
            ctx.out().println();
            return results;
        } finally {
            for (Target.Operation op : ops.values()) {
                op.close();
            }
            if (primer != null) {
                primer.close();
            }
            ctx.admin().reset(keys);
        }
    }

    /**
     * Runs {@code --warmup-ops} operations, then more in chunks while the JIT compiler threads use over 5 % of this
     * process's CPU (up to {@code --max-extra-warmup-ops}), so that no client pays in its measured phase for
     * compiling code that all share (gRPC core, protobuf). Returns the index of the next operation.
     */
    private static long warmUp(BenchContext ctx, Workload w, Target target, Target.Operation op)
            throws InterruptedException {
        BenchOptions o = ctx.options();
        if (o.warmupOps() == 0) {
            return 0;
        }
        String tag = w.id() + " / " + target.name();
        Phase warm = ctx.runner().run(tag + " warm-up", op, 0, o.warmupOps(), o.inFlight());
        long next = o.warmupOps();
        long errors = warm.errors() + warm.unexpected();
        int chunk = Math.max(10_000, o.warmupOps() / 5);
        double jitShare = warm.jitShare();
        while (jitShare > WarmUp.JIT_SETTLED && next - o.warmupOps() < o.maxExtraWarmupOps()) {
            Phase more = ctx.runner().run(tag + " warm-up (JIT " + Math.round(jitShare * 100) + "%)", op, next, chunk,
                    o.inFlight());
            next += chunk;
            errors += more.errors() + more.unexpected();
            jitShare = more.jitShare();
        }
        ctx.out().printf(Locale.ROOT, "%-36s warm-up  %,9d ops (first %,d at %,.0f ops/s); JIT %s of CPU at the end%s%n",
                tag, PhaseRunner.operations(op, (int) next), warm.ops(), warm.ops() / (warm.used().elapsedNanos() / 1e9),
                Double.isNaN(jitShare) ? "n/a" : Math.round(jitShare * 100) + "%",
                errors > 0 ? "; " + errors + " errors, first: " + warm.firstError() : "");
        return next;
    }

    private static Path jfrFile(BenchOptions o, Workload w, String client) {
        return o.jfrDir().resolve(w.id() + "-" + client.replace('+', '_') + ".jfr");
    }

    /** Appends the recording's chunks to {@code file} (a JFR file is a sequence of chunks, so they concatenate). */
    private static void appendRecording(Recording jfr, Path file) throws IOException {
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

    private static void printThreadCpu(PrintStream out, Phase phase) {
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
}
