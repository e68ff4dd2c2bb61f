package io.etcdkit.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The command line of {@link BenchMain}, parsed.
 *
 * @param workloads   the workloads to run, in order
 * @param ops         measured operations per workload and client
 * @param warmupOps   warm-up (JIT) operations per workload and client, run before the measured phase
 * @param inFlight    the most requests outstanding at once
 * @param valueSize   bytes per value
 * @param keySpace    distinct keys a workload cycles over
 * @param endpoints   an existing cluster's client URLs, or empty to start a local one-member cluster
 * @param clients     the clients to run, in order ({@code etcdkit}, {@code jetcd})
 * @param csv         where to write the results as CSV, or null
 * @param slices      the measured phase of each client is split into this many slices, interleaved with the
 *                    other clients' slices, so that load from elsewhere on the machine hits all clients alike
 * @param threadCpu   whether to print each measured phase's CPU per thread group
 * @param jfrDir      where to write a JFR recording of each measured phase, or null
 * @param maxExtraWarmupOps how many operations the warm-up may add to {@code warmupOps} while the JIT is still busy
 */
record BenchOptions(List<Workload> workloads, int ops, int warmupOps, int inFlight, int valueSize, int keySpace,
        List<String> endpoints, List<String> clients, Path csv, int slices, boolean threadCpu, Path jfrDir,
        int maxExtraWarmupOps) {

    static final String USAGE = String.join("\n",
            "usage: BenchMain <workload> [options]",
            "",
            "workloads: put | range-linearizable | range-serializable | txn-put | all  (or a comma-separated list)",
            "",
            "options:",
            "  --ops N            measured operations per workload and client   (default 300000)",
            "  --warmup-ops N     warm-up operations per workload and client    (default 50000); the warm-up",
            "                     then goes on in chunks while JIT compiler threads use > 5% of the CPU",
            "  --max-extra-warmup-ops N  at most this many such extra operations (default 200000; 0: none)",
            "  --in-flight N      requests outstanding at once (Semaphore)      (default 64)",
            "  --value-size N     bytes per value                               (default 256)",
            "  --key-space N      distinct keys cycled over                     (default 10000)",
            "  --endpoints URLS   comma-separated client URLs of a running cluster (default: start a local",
            "                     1-member cluster with etcdkit-testing; its data lives under java.io.tmpdir)",
            "  --compare jetcd    also run jetcd 0.8.5 against the same cluster and print etcdkit/jetcd ratios",
            "  --first CLIENT     which client runs first in each workload: etcdkit (default) or jetcd",
            "  --only CLIENT      run just this client (etcdkit or jetcd), e.g. to profile one of them",
            "  --clients LIST     run these clients in this order (comma-separated): etcdkit, jetcd, and",
            "                     diagnostic variants: etcdkit+fj / +fixed / +counting (another callback",
            "                     executor), raw[+deadline][+tracer][+leader][+hop][+cached|direct|fj|fixed]",
            "                     (etcd's stubs on a bare channel, see RawGrpcTarget)",
            "  --slices N         split each client's measured phase into N slices run in turn with the other",
            "                     clients' slices (A B B A A B ...), so noise from other processes hits all",
            "                     clients alike; results are summed over slices (default 6; 1 = one after",
            "                     the other)",
            "  --csv FILE         also write the results (and every slice) as CSV",
            "  --thread-cpu       after each workload, print each client's CPU per thread group over its",
            "                     measured slices (from /proc: GC and JIT threads and kernel time included)",
            "  --jfr DIR          record the measured slices with JFR (execution samples every 1 ms, native",
            "                     and allocation samples) to DIR/<workload>-<client>.jfr",
            "  -h, --help         this text");

    static BenchOptions parse(String[] args) {
        if (args.length == 0) {
            throw new UsageException("no workload given");
        }
        List<Workload> workloads = null;
        int ops = 300_000;
        int warmup = 50_000;
        int inFlight = 64;
        int valueSize = 256;
        int keySpace = 10_000;
        List<String> endpoints = List.of();
        boolean compare = false;
        String first = "etcdkit";
        String only = null;
        List<String> explicitClients = null;
        Path csv = null;
        int slices = 6;
        boolean threadCpu = false;
        Path jfrDir = null;
        int maxExtraWarmup = 200_000;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            switch (a) {
                case "-h", "--help" -> throw new UsageException(null);
                case "--ops" -> ops = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--warmup-ops" -> warmup = positive(a, value != null ? value : next(args, ++i, a), 0);
                case "--in-flight" -> inFlight = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--value-size" -> valueSize = positive(a, value != null ? value : next(args, ++i, a), 0);
                case "--key-space" -> keySpace = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--slices" -> slices = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--endpoints" -> {
                    List<String> list = new ArrayList<>();
                    for (String e : (value != null ? value : next(args, ++i, a)).split(",")) {
                        if (!e.isBlank()) {
                            list.add(e.trim());
                        }
                    }
                    if (list.isEmpty()) {
                        throw new UsageException("--endpoints needs at least one URL, e.g. http://127.0.0.1:2379");
                    }
                    endpoints = List.copyOf(list);
                }
                case "--compare" -> {
                    String c = (value != null ? value : next(args, ++i, a)).toLowerCase(Locale.ROOT);
                    if (c.equals("jetcd")) {
                        compare = true;
                    } else if (c.equals("none")) {
                        compare = false;
                    } else {
                        throw new UsageException("--compare takes 'jetcd' (or 'none'), got '" + c + "'");
                    }
                }
                case "--first" -> {
                    first = (value != null ? value : next(args, ++i, a)).toLowerCase(Locale.ROOT);
                    if (!first.equals("etcdkit") && !first.equals("jetcd")) {
                        throw new UsageException("--first takes 'etcdkit' or 'jetcd', got '" + first + "'");
                    }
                }
                case "--clients" -> {
                    List<String> list = new ArrayList<>();
                    for (String c : (value != null ? value : next(args, ++i, a)).split(",")) {
                        String name = c.trim().toLowerCase(Locale.ROOT);
                        if (!name.startsWith("etcdkit") && !name.equals("jetcd") && !name.startsWith("raw")) {
                            throw new UsageException("unknown client '" + name + "'; known: etcdkit[+fj|+fixed|"
                                    + "+counting], jetcd, raw[+..]");
                        }
                        if (!name.isEmpty() && !list.contains(name)) {
                            list.add(name);
                        }
                    }
                    if (list.isEmpty()) {
                        throw new UsageException("--clients needs at least one client");
                    }
                    explicitClients = List.copyOf(list);
                }
                case "--only" -> {
                    only = (value != null ? value : next(args, ++i, a)).toLowerCase(Locale.ROOT);
                    if (!only.equals("etcdkit") && !only.equals("jetcd")) {
                        throw new UsageException("--only takes 'etcdkit' or 'jetcd', got '" + only + "'");
                    }
                }
                case "--max-extra-warmup-ops" ->
                        maxExtraWarmup = positive(a, value != null ? value : next(args, ++i, a), 0);
                case "--thread-cpu" -> threadCpu = true;
                case "--jfr" -> jfrDir = Path.of(value != null ? value : next(args, ++i, a));
                case "--csv" -> csv = Path.of(value != null ? value : next(args, ++i, a));
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option '" + a + "'");
                    }
                    if (workloads != null) {
                        throw new UsageException("more than one workload argument: '" + a + "'; use a "
                                + "comma-separated list or 'all'");
                    }
                    workloads = Workload.parseList(a);
                }
            }
        }
        if (workloads == null) {
            throw new UsageException("no workload given");
        }
        if (slices > ops) {
            throw new UsageException("--slices " + slices + " is more than --ops " + ops);
        }
        List<String> clients = new ArrayList<>();
        if (explicitClients != null) {
            if (only != null || compare) {
                throw new UsageException("--clients excludes --only and --compare");
            }
            return new BenchOptions(List.copyOf(workloads), ops, warmup, inFlight, valueSize, keySpace, endpoints,
                    explicitClients, csv, slices, threadCpu, jfrDir, maxExtraWarmup);
        }
        if (only != null) {
            if (compare) {
                throw new UsageException("--only and --compare exclude each other");
            }
            return new BenchOptions(List.copyOf(workloads), ops, warmup, inFlight, valueSize, keySpace, endpoints,
                    List.of(only), csv, slices, threadCpu, jfrDir, maxExtraWarmup);
        }
        clients.add("etcdkit");
        if (compare) {
            if (first.equals("jetcd")) {
                clients.add(0, "jetcd");
            } else {
                clients.add("jetcd");
            }
        } else if (first.equals("jetcd")) {
            throw new UsageException("--first jetcd needs --compare jetcd");
        }
        return new BenchOptions(List.copyOf(workloads), ops, warmup, inFlight, valueSize, keySpace, endpoints,
                List.copyOf(clients), csv, slices, threadCpu, jfrDir, maxExtraWarmup);
    }

    private static String next(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String text, int min) {
        long v;
        try {
            v = Long.parseLong(text.replace("_", "").replace(",", ""));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " takes a number, got '" + text + "'");
        }
        if (v < min || v > Integer.MAX_VALUE) {
            throw new UsageException(option + " must be between " + min + " and " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }

    /** A bad command line; the message (if any) says what is wrong, the usage text follows. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
