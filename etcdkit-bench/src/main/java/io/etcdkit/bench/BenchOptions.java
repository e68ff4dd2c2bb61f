package io.etcdkit.bench;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
 * @param clients     the clients to run, in order ({@code etcdkit}, {@code jetcd}, {@code go}, variants)
 * @param csv         where to write the results as CSV, or null
 * @param slices      the measured phase of each client is split into this many slices, interleaved with the
 *                    other clients' slices, so that load from elsewhere on the machine hits all clients alike
 * @param threadCpu   whether to print each measured phase's CPU per thread group
 * @param jfrDir      where to write a JFR recording of each measured phase, or null
 * @param maxExtraWarmupOps how many operations the warm-up may add to {@code warmupOps} while the JIT is still busy
 * @param out         the results folder (report, CSV and PNG files)
 * @param sizes       the sizes of the workloads that have a bench of their own
 * @param quick       whether this is a {@code --quick} smoke run
 * @param maxTxnOps   the server's {@code --max-txn-ops}: the local cluster is started with it, and etcdkit's
 *                    client is told it (its bulk loader sends transactions of that many puts)
 */
record BenchOptions(List<Workload> workloads, int ops, int warmupOps, int inFlight, int valueSize, int keySpace,
        List<String> endpoints, List<String> clients, Path csv, int slices, boolean threadCpu, Path jfrDir,
        int maxExtraWarmupOps, Path out, Sizes sizes, boolean quick, int maxTxnOps) {
    /** The {@code --max-txn-ops} the bench starts its own cluster with unless told otherwise. */
    static final int LOCAL_MAX_TXN_OPS = 2048;
    /** etcd's own default {@code --max-txn-ops}, assumed for a cluster given with {@code --endpoints}. */
    static final int ETCD_DEFAULT_MAX_TXN_OPS = 128;


    static final String USAGE = String.join("\n",
            "usage: etcdkit bench <workload> [options]    (or: java -jar etcdkit-bench/target/etcdkit-bench.jar ...)",
            "",
            "workloads (or a comma-separated list, or all):",
            "  put | range (= range-linearizable,range-serializable) | txn-put | watch | watchers |",
            "  lease-keepalive | lock | cache-read | bulk-load | subscribe | work-queue",
            "  failover (not in all: starts its own 3-member cluster, kills and freezes members; uses --rounds)",
            "",
            "options:",
            "  --quick            a small smoke run of the workloads (about a minute for all); any size option",
            "                     given as well wins",
            "  --out DIR          results folder: report.txt, results.csv, <workload>.csv and <workload>.png",
            "                     (default ./.etcdkit/bench/<timestamp>/)",
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
            "  --compare jetcd,go  also (or only, with 'go') run Go's clientv3 (etcd 3.4 sources, built once with",
            "                     Debian's golang-go + golang-etcd-server-dev) as a child process on put,",
            "                     range-* and txn-put, and print etcdkit/go ratios; skipped with a note without Go",
            "  --first CLIENT     which client runs first in each workload: etcdkit (default) or jetcd",
            "  --only CLIENT      run just this client (etcdkit, jetcd or go), e.g. to profile one of them",
            "  --metrics          also run etcdkit+metrics (etcdkit with an EtcdMetrics listener on a",
            "                     Prometheus registry) right after etcdkit, and print metrics/etcdkit ratios",
            "  --clients LIST     run these clients in this order (comma-separated): etcdkit, jetcd, and",
            "                     variants: etcdkit+metrics, etcdkit+fj / +fixed / +counting (another callback",
            "                     executor), go, raw[+deadline][+tracer][+leader][+hop][+cached|direct|fj|fixed]",
            "                     (etcd's stubs on a bare channel, see RawGrpcTarget)",
            "  --slices N         split each client's measured phase into N slices run in turn with the other",
            "                     clients' slices (A B B A A B ...), so noise from other processes hits all",
            "                     clients alike; results are summed over slices (default 6; 1 = one after",
            "                     the other)",
            "  --csv FILE         also write the results (and every slice) as CSV to FILE",
            "  --rounds N         measured rounds per client of watch events, lock hand-off, bulk-load and",
            "                     subscribe (default 3)",
            "  --watch-events N   events replayed to one watcher per round (watch; default 200000)",
            "  --watch-rate N     puts per second for put-to-event latency (watch, watchers; default 1000)",
            "  --watch-seconds N  measured seconds of put-to-event latency per client (watch; default 20)",
            "  --watchers N       idle watchers on one client (watchers; default 100000)",
            "  --jetcd-watchers N watchers for jetcd, which opens a gRPC stream per watcher (default: --watchers)",
            "  --lock-ops N       uncontended lock+unlock cycles per client (lock; default 1000)",
            "  --lock-waiters N   waiters queued behind the holder in a hand-off round (lock; default 50)",
            "  --lock-settle-ms N pause between all waiters queued and the first unlock of a round (lock;",
            "                     default 0). 150 lets etcd sync every watcher first: a watch from the current",
            "                     revision is caught up by etcd's 100 ms loop, which the server-side lock",
            "                     (jetcd) hits when a lock is released < 100 ms after a waiter queued",
            "  --bulk-keys N      keys loaded per round (bulk-load; default 100000)",
            "  --max-txn-ops N    the server's --max-txn-ops: the local cluster is started with it (default "
                    + LOCAL_MAX_TXN_OPS + "),",
            "                     etcdkit's bulk loader sends transactions of that many puts; with --endpoints",
            "                     give your server's (default then " + ETCD_DEFAULT_MAX_TXN_OPS + ", etcd's own)",
            "  --subscribe-keys N keys under the subscribed prefix (subscribe; default 100000)",
            "  --work-items N     items through the queue per client (work-queue; default 10000)",
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
        boolean quick = List.of(args).contains("--quick");
        int ops = quick ? 3_000 : 300_000;
        int warmup = quick ? 1_000 : 50_000;
        int inFlight = 64;
        int valueSize = 256;
        int keySpace = quick ? 1_000 : 10_000;
        Sizes defaults = quick ? Sizes.quick() : Sizes.full();
        int rounds = defaults.rounds();
        int watchEvents = defaults.watchEvents();
        int watchRate = defaults.watchRate();
        int watchSeconds = defaults.watchSeconds();
        int watchers = defaults.watchers();
        Integer jetcdWatchers = null;
        int lockOps = defaults.lockOps();
        int lockWaiters = defaults.lockWaiters();
        int lockSettleMillis = defaults.lockSettleMillis();
        int bulkKeys = defaults.bulkKeys();
        int subscribeKeys = defaults.subscribeKeys();
        int workItems = defaults.workItems();
        Integer maxTxnOps = null;
        Path out = null;
        List<String> endpoints = List.of();
        boolean compare = false;
        boolean compareGo = false;
        boolean metrics = false;
        String first = "etcdkit";
        String only = null;
        List<String> explicitClients = null;
        Path csv = null;
        int slices = quick ? 2 : 6;
        boolean threadCpu = false;
        Path jfrDir = null;
        int maxExtraWarmup = quick ? 0 : 200_000;
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
                    compare = false;
                    compareGo = false;
                    for (String part : (value != null ? value : next(args, ++i, a)).split(",")) {
                        String c = part.trim().toLowerCase(Locale.ROOT);
                        switch (c) {
                            case "jetcd" -> compare = true;
                            case "go" -> compareGo = true;
                            case "none" -> {
                            }
                            default -> throw new UsageException("--compare takes 'jetcd', 'go', 'jetcd,go' (or "
                                    + "'none'), got '" + c + "'");
                        }
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
                        if (!name.startsWith("etcdkit") && !name.equals("jetcd") && !name.equals("go")
                                && !name.startsWith("raw")) {
                            throw new UsageException("unknown client '" + name + "'; known: etcdkit[+metrics|+fj|"
                                    + "+fixed|+counting], jetcd, go, raw[+..]");
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
                    if (!only.equals("etcdkit") && !only.equals("jetcd") && !only.equals("go")) {
                        throw new UsageException("--only takes 'etcdkit', 'jetcd' or 'go', got '" + only + "'");
                    }
                }
                case "--max-extra-warmup-ops" ->
                        maxExtraWarmup = positive(a, value != null ? value : next(args, ++i, a), 0);
                case "--quick" -> quick = true;
                case "--metrics" -> metrics = true;
                case "--out" -> out = Path.of(value != null ? value : next(args, ++i, a));
                case "--rounds" -> rounds = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--watch-events" -> watchEvents = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--watch-rate" -> watchRate = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--watch-seconds" -> watchSeconds = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--watchers" -> watchers = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--jetcd-watchers" -> jetcdWatchers = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--lock-ops" -> lockOps = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--lock-waiters" -> lockWaiters = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--lock-settle-ms" -> lockSettleMillis = positive(a, value != null ? value : next(args, ++i, a), 0);
                case "--bulk-keys" -> bulkKeys = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--max-txn-ops" -> maxTxnOps = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--work-items" -> workItems = positive(a, value != null ? value : next(args, ++i, a), 1);
                case "--subscribe-keys" -> subscribeKeys = positive(a, value != null ? value : next(args, ++i, a), 1);
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
        if (valueSize < 8 && workloads.stream().anyMatch(w -> w == Workload.WATCH || w == Workload.WATCHERS)) {
            throw new UsageException("--value-size must be at least 8 for the watch workloads (a value carries the"
                    + " time it was sent)");
        }
        Sizes sizes = new Sizes(rounds, watchEvents, watchRate, watchSeconds, watchers,
                jetcdWatchers == null ? watchers : jetcdWatchers, lockOps, lockWaiters, lockSettleMillis, bulkKeys,
                subscribeKeys, workItems);
        if (out == null) {
            out = Path.of(".etcdkit", "bench", LocalDateTime.now().format(DateTimeFormatter.ofPattern(
                    "yyyyMMdd-HHmmss", Locale.ROOT)));
        }
        List<String> clients = new ArrayList<>();
        if (explicitClients != null) {
            if (only != null || compare || compareGo) {
                throw new UsageException("--clients excludes --only and --compare");
            }
            clients.addAll(explicitClients);
        } else if (only != null) {
            if (compare || compareGo) {
                throw new UsageException("--only and --compare exclude each other");
            }
            clients.add(only);
        } else {
            clients.add("etcdkit");
            if (compare) {
                clients.add(first.equals("jetcd") ? 0 : 1, "jetcd");
            } else if (first.equals("jetcd")) {
                throw new UsageException("--first jetcd needs --compare jetcd");
            }
            if (compareGo) {
                clients.add("go");
            }
        }
        if (metrics && !clients.contains("etcdkit+metrics")) {
            int at = clients.indexOf("etcdkit");
            if (at < 0) {
                throw new UsageException("--metrics compares etcdkit with and without metrics: it needs the client "
                        + "etcdkit (not --only jetcd, or add etcdkit to --clients)");
            }
            clients.add(at + 1, "etcdkit+metrics");
        }
        return new BenchOptions(List.copyOf(workloads), ops, warmup, inFlight, valueSize, keySpace, endpoints,
                List.copyOf(clients), csv, slices, threadCpu, jfrDir, maxExtraWarmup, out, sizes, quick,
                maxTxnOps != null ? maxTxnOps : endpoints.isEmpty() ? LOCAL_MAX_TXN_OPS : ETCD_DEFAULT_MAX_TXN_OPS);
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
