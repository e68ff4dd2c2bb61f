package io.etcdkit.cli;

import io.etcdkit.soak.SoakOptions;
import io.etcdkit.soak.SoakReport;
import io.etcdkit.soak.SoakResult;
import io.etcdkit.soak.SoakRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code etcdkit soak}: the nemesis soak (etcdkit-soak) on a local cluster of its own: random faults for a bounded
 * time under every recipe's workload, each judged by its checker; prints the summary and the timeline's path and
 * exits 1 on any violation. Loopback only; stops by itself.
 */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {"Run random faults under every recipe's workload and check the history.",
            "Starts its own local etcd cluster (loopback only), runs six workloads (KV registers checked for "
                + "linearizability, watches, locks with fencing, elections, a cached view, a work queue) while a "
                + "seeded nemesis kills, pauses, partitions (when iptables is usable), compacts, defragments, "
                + "revokes leases and replaces members, then heals, checks every history and stops.",
            "Prints a summary and writes DIR/soak-report.txt and DIR/soak-timeline.png. Exits 0 when every "
                + "checker found nothing, 1 on any violation (the report lists them with the operations around "
                + "them; re-run with the printed --seed to replay the same faults)."})
final class SoakCommand implements Callable<Integer> {
    /** The longest run the command accepts. */
    static final Duration LONGEST = Duration.ofHours(24);

    @Option(names = "--minutes", paramLabel = "N",
            description = "How long to inject faults, in minutes; fractions allowed (default: 2). The whole run "
                    + "takes about a minute more.")
    Double minutes;

    @Option(names = "--seconds", paramLabel = "N", description = "How long to inject faults, in seconds (instead "
            + "of --minutes).")
    Integer seconds;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the fault schedule and the workloads "
            + "(default: random, printed).")
    Long seed;

    @Option(names = "--members", paramLabel = "N", defaultValue = "3",
            description = "Cluster size, 3 or 5 (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "./soak-out",
            description = "Where the report and the timeline go (default: ${DEFAULT-VALUE}).")
    Path out;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The run's options, from the command line; throws a usage error when they make no sense. */
    SoakOptions options(PrintWriter err) {
        if (minutes != null && seconds != null) {
            throw CliException.usage("give --minutes or --seconds, not both");
        }
        Duration duration;
        if (seconds != null) {
            duration = Duration.ofSeconds(seconds);
        } else {
            double m = minutes == null ? 2 : minutes;
            if (!(m > 0) || Double.isInfinite(m)) {
                throw CliException.usage("--minutes must be a positive number, e.g. 30 or 0.5, got " + minutes);
            }
            duration = Duration.ofMillis(Math.round(m * 60_000));
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(LONGEST) > 0) {
            throw CliException.usage("the soak duration must be between 1 s and 24 h, got " + duration.toSeconds()
                    + " s");
        }
        if (members != 3 && members != 5) {
            throw CliException.usage("--members must be 3 or 5 (quorum survives one fault at a time), got "
                    + members);
        }
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1, 1_000_000);
        return SoakOptions.defaults().withDuration(duration).withSeed(s).withMembers(members)
                .withOutDir(out.toAbsolutePath().normalize()).withLog(line -> {
                    err.println(line);
                    err.flush();
                });
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        SoakOptions options = options(err);
        err.println("etcdkit soak: seed " + options.seed() + " (replay with --seed " + options.seed() + "), "
                + options.duration().toSeconds() + " s of faults on " + options.members() + " members");
        err.flush();
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal) {
            SoakResult result = SoakRunner.run(options);
            stdout.print(SoakReport.summary(result));
            stdout.println("report: " + options.outDir().resolve(SoakReport.TEXT_FILE));
            stdout.println("timeline: " + options.outDir().resolve(SoakReport.PNG_FILE));
            stdout.flush();
            return result.passed() ? ExitCode.OK : ExitCode.FAILURE;
        } catch (InterruptedException e) {
            return ExitCode.INTERRUPTED;
        }
    }
}
