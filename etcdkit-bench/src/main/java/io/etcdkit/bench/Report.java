package io.etcdkit.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The results table (per measurement and client, plus etcdkit/jetcd and, with {@code --metrics},
 * metrics/etcdkit ratios) and the CSV files.
 */
final class Report {

    private Report() {
    }

    /** The rows' names in the order they were measured. */
    static List<String> rows(List<Result> results) {
        Set<String> rows = new LinkedHashSet<>();
        results.forEach(r -> rows.add(r.row()));
        return List.copyOf(rows);
    }

    /** The results of one row, in run order. */
    static List<Result> ofRow(List<Result> results, String row) {
        return results.stream().filter(r -> r.row().equals(row)).toList();
    }

    static Optional<Result> find(List<Result> results, String row, String client) {
        return results.stream().filter(r -> r.row().equals(row) && r.client().equals(client)).findFirst();
    }

    static void printTable(PrintStream out, List<Result> results, int slices) {
        int clientWidth = Math.max("metrics/etcdkit".length(),
                results.stream().mapToInt(r -> r.client().length()).max().orElse(0));
        int rowWidth = Math.max(19, results.stream().mapToInt(r -> r.row().length()).max().orElse(0));
        String row = "%-" + rowWidth + "s %-" + clientWidth + "s %-11s %11s %6s %9s %9s %9s %9s %9s %6s %8s %9s %5s %5s"
                + " %6s  %s%n";
        out.println();
        out.printf(Locale.ROOT, "Results%s.%n", slices > 1 ? " (measured slices or rounds of each client, run in turn "
                + "with the other clients', summed)" : "");
        out.printf(Locale.ROOT, "  op = what one operation is; ops/s = operations per second; latency in µs (what is "
                + "timed: see the note and the README); 'spread' = (fastest - slowest slice) / overall%n");
        out.printf(Locale.ROOT, "  cpu = this JVM's CPU µs per op (getProcessCpuTime, after warm-up), 'jit' = the part "
                + "of it spent by JIT compiler threads; srv cpu = etcd's CPU µs per op%n");
        out.printf(Locale.ROOT, "  client 'go' = Go's clientv3 in a child process: its cpu is that process's "
                + "(getrusage user + system, GC included), its alloc Go's TotalAlloc%n");
        out.printf(Locale.ROOT, "  alloc = bytes allocated per op; cores = client CPU / wall time; 'other' = cores used "
                + "meanwhile by every other process (noise, ideally 0)%n");
        out.printf(Locale.ROOT, "  ratios are etcdkit/jetcd: ops/s > 1 means etcdkit is faster; latency, cpu and alloc "
                + "< 1 mean etcdkit is lower%n");
        out.printf(Locale.ROOT, "  metrics/etcdkit: etcdkit with an EtcdMetrics listener over etcdkit without "
                + "(--metrics); cpu 1.05x = metrics cost 5 %% more client CPU per op%n%n");
        String header = String.format(Locale.ROOT, row, "workload", "client", "op", "ops/s", "spread", "p50", "p99",
                "p99.9", "max", "cpu µs/op", "jit", "srv cpu", "alloc B", "cores", "other", "errors", "note");
        out.print(header);
        out.println("-".repeat(header.length() - 7));
        for (String name : rows(results)) {
            for (Result x : ofRow(results, name)) {
                out.printf(Locale.ROOT, row, name, x.client(), x.unit(), fmt0(x.opsPerSecond()), pct(x.sliceSpread()),
                        fmt0(x.latencyMicros(50)), fmt0(x.latencyMicros(99)), fmt0(x.latencyMicros(99.9)),
                        fmt0(x.maxMicros()), fmt1(x.cpuMicrosPerOp()), fmt1(x.jitMicrosPerOp()),
                        fmt1(x.serverCpuMicrosPerOp()), fmt0(x.allocatedBytesPerOp()), fmt2(x.clientCores()),
                        fmt2(x.otherCores()), Long.toString(x.errors()), x.note());
            }
            printRatio(out, row, results, name, "etcdkit", "jetcd", "etcdkit/jetcd");
            printRatio(out, row, results, name, "etcdkit", "go", "etcdkit/go");
            printRatio(out, row, results, name, "etcdkit+metrics", "etcdkit", "metrics/etcdkit");
        }
        for (Result r : results) {
            if (r.errors() > 0) {
                out.printf(Locale.ROOT, "%n%s / %s: %d failed, %d unexpected responses; first failure: %s%n",
                        r.row(), r.client(), r.phase().errors(), r.phase().unexpected(), r.phase().firstError());
            }
        }
    }

    /** A ratio row of client {@code a} over client {@code b}, when both ran the row. */
    private static void printRatio(PrintStream out, String row, List<Result> results, String name, String a,
            String b, String label) {
        Optional<Result> ka = find(results, name, a);
        Optional<Result> kb = find(results, name, b);
        if (ka.isPresent() && kb.isPresent()) {
            Result x = ka.get();
            Result y = kb.get();
            out.printf(Locale.ROOT, row, name, label, "", ratio(x.opsPerSecond(), y.opsPerSecond()), "",
                    ratio(x.latencyMicros(50), y.latencyMicros(50)),
                    ratio(x.latencyMicros(99), y.latencyMicros(99)),
                    ratio(x.latencyMicros(99.9), y.latencyMicros(99.9)), ratio(x.maxMicros(), y.maxMicros()),
                    ratio(x.cpuMicrosPerOp(), y.cpuMicrosPerOp()), "",
                    ratio(x.serverCpuMicrosPerOp(), y.serverCpuMicrosPerOp()),
                    ratio(x.allocatedBytesPerOp(), y.allocatedBytesPerOp()),
                    ratio(x.clientCores(), y.clientCores()), "", "", "");
        }
    }

    /** Writes {@code results} (totals, every slice, and etcdkit/jetcd and metrics/etcdkit ratios) as CSV. */
    static void writeCsv(Path file, List<Result> results) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("workload,row,client,op,slice,ops,errors,seconds,ops_per_sec,p50_us,p90_us,p99_us,p999_us,max_us,"
                + "mean_us,cpu_us_per_op,jit_cpu_us_per_op,server_cpu_us_per_op,alloc_bytes_per_op,client_cores,"
                + "other_cores,gc_count,gc_ms,note");
        for (Result total : results) {
            lines.add(csvRow(total, "all"));
            if (total.slices().size() > 1) {
                int i = 1;
                for (Phase slice : total.slices()) {
                    lines.add(csvRow(new Result(total.workload(), total.row(), total.client(), total.unit(), slice,
                            List.of(slice), total.note()), Integer.toString(i++)));
                }
            }
        }
        for (String name : rows(results)) {
            csvRatio(lines, results, name, "etcdkit", "jetcd", "etcdkit/jetcd");
            csvRatio(lines, results, name, "etcdkit", "go", "etcdkit/go");
            csvRatio(lines, results, name, "etcdkit+metrics", "etcdkit", "metrics/etcdkit");
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.write(file, lines);
    }

    private static void csvRatio(List<String> lines, List<Result> results, String name, String a, String b,
            String label) {
        Optional<Result> ka = find(results, name, a);
        Optional<Result> kb = find(results, name, b);
        if (ka.isPresent() && kb.isPresent()) {
            Result x = ka.get();
            Result y = kb.get();
            lines.add(String.join(",", x.workload().id(), name, label, "", "all", "", "",
                    num(x.seconds() / y.seconds()), num(x.opsPerSecond() / y.opsPerSecond()),
                    num(x.latencyMicros(50) / y.latencyMicros(50)), num(x.latencyMicros(90) / y.latencyMicros(90)),
                    num(x.latencyMicros(99) / y.latencyMicros(99)),
                    num(x.latencyMicros(99.9) / y.latencyMicros(99.9)), num(x.maxMicros() / y.maxMicros()),
                    num(x.meanMicros() / y.meanMicros()), num(x.cpuMicrosPerOp() / y.cpuMicrosPerOp()), "",
                    num(x.serverCpuMicrosPerOp() / y.serverCpuMicrosPerOp()),
                    num(x.allocatedBytesPerOp() / y.allocatedBytesPerOp()), num(x.clientCores() / y.clientCores()),
                    "", "", "", ""));
        }
    }

    private static String csvRow(Result r, String slice) {
        return String.join(",", r.workload().id(), r.row(), r.client(), r.unit(), slice,
                Integer.toString(r.phase().ops()), Long.toString(r.errors()), num(r.seconds()), num(r.opsPerSecond()),
                num(r.latencyMicros(50)), num(r.latencyMicros(90)), num(r.latencyMicros(99)),
                num(r.latencyMicros(99.9)), num(r.maxMicros()), num(r.meanMicros()), num(r.cpuMicrosPerOp()),
                num(r.jitMicrosPerOp()), num(r.serverCpuMicrosPerOp()), num(r.allocatedBytesPerOp()),
                num(r.clientCores()), num(r.otherCores()), Long.toString(r.phase().used().gcCount()),
                Long.toString(r.phase().used().gcMillis()), quote(r.note()));
    }

    private static String quote(String s) {
        return s.isEmpty() ? "" : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static String num(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    /** No decimals, except for values below 10 (sub-microsecond latencies of in-process reads). */
    private static String fmt0(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v < 10 ? "%.2f" : "%,.0f", v);
    }

    private static String fmt1(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%,.1f", v);
    }

    private static String fmt2(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    private static String ratio(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
            return "n/a";
        }
        double r = a / b;
        return String.format(Locale.ROOT, r >= 100 ? "%,.0fx" : r >= 0.01 || r == 0 ? "%.2fx" : "%.5fx", r);
    }
}
