package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.election.ElectionEvent;
import io.etcdkit.recipes.election.ElectionObserver;
import io.etcdkit.recipes.election.Leader;
import io.etcdkit.recipes.election.LeaderElection;
import io.etcdkit.recipes.election.Leadership;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code etcdkit elect NAME [--value V]} and {@code elect NAME --observe}: leader election from the shell. */
@Command(name = "elect", mixinStandardHelpOptions = true,
        description = {"Campaign for leadership, or observe who leads.",
            "Campaigns in the election NAME (compatible with 'etcdctl elect'), prints when elected, and "
                + "lead until Ctrl-C, which resigns (exit 130). If the session expires while leading, etcdkit says "
                + "so and exits 8; with --wait it gives up after that long (exit 6).",
            "With --observe, print the leader and every change of leader until Ctrl-C instead of campaigning."})
final class ElectCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The election's name (its key prefix).")
    String name;

    @Option(names = "--value", paramLabel = "VALUE",
            description = "What this candidate proclaims, e.g. its address (default: HOST:PID).")
    String value;

    @Option(names = "--observe", description = "Print leader changes instead of campaigning.")
    boolean observe;

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Session TTL: leadership of a crashed leader ends after this (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up (exit 6) when not elected within this; default: wait as long as it takes.")
    Duration wait;

    @Override
    int run(EtcdClient client, Output out) {
        if (observe && (value != null || wait != null)) {
            throw CliException.usage("--observe only watches the election; --value and --wait are for campaigning");
        }
        return observe ? observe(client, out) : campaign(client, out);
    }

    private int campaign(EtcdClient client, Output out) {
        String proclaimed = value != null ? value : defaultValue();
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal; Session session = Session.open(client, ttl)) {
            err().println("campaigning in election '" + name + "' as '" + proclaimed + "' ...");
            err().flush();
            LeaderElection election = LeaderElection.of(session, name);
            Optional<Leadership> won = wait == null ? Optional.of(election.campaign(proclaimed))
                    : election.campaign(proclaimed, wait);
            if (won.isEmpty()) {
                throw new CliException(ExitCode.WAIT_TIMEOUT, "not elected leader of '" + name + "' within "
                        + DurationConverter.format(wait) + " (another candidate leads)");
            }
            try (Leadership lead = won.get()) {
                show(out, "elected", lead.leader(), "elected leader of '" + name + "' as '" + proclaimed + "' (epoch "
                        + lead.epoch() + "); Ctrl-C resigns");
                if (session.ended().get() == SessionState.EXPIRED) {
                    throw new CliException(ExitCode.LOST, "lost leadership of '" + name + "': the session expired "
                            + "(etcd unreachable for " + DurationConverter.format(ttl) + ", or its lease revoked)");
                }
                return ExitCode.OK;
            }
        } catch (InterruptedException e) {
            err().println("left election '" + name + "'");
            err().flush();
            return ExitCode.INTERRUPTED;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a session's end cannot fail", e);
        }
    }

    @SuppressWarnings("try") // the observer only needs closing
    private int observe(EtcdClient client, Output out) {
        BlockingQueue<ElectionEvent> events = new LinkedBlockingQueue<>();
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal; ElectionObserver observer = ElectionObserver.open(client, name, events::add)) {
            while (true) {
                ElectionEvent event = events.take();
                if (event instanceof ElectionEvent.LeaderElected e) {
                    show(out, "elected", e.leader(), "leader: " + text(e.leader()));
                } else if (event instanceof ElectionEvent.LeaderProclaimed p) {
                    show(out, "proclaimed", p.leader(), "leader proclaimed: " + text(p.leader()));
                } else if (out.json()) {
                    out.event(Output.fields("type", "no-leader", "name", name));
                } else {
                    out.line("no leader");
                }
            }
        } catch (InterruptedException e) {
            return ExitCode.INTERRUPTED;
        }
    }

    private void show(Output out, String type, Leader leader, String text) {
        if (out.json()) {
            out.event(Output.fields("type", type, "name", name, "value", leader.valueAsString(), "epoch",
                    leader.revision(), "key", leader.key().toStringUtf8(), "lease",
                    LeaseIdConverter.formatOrNull(leader.leaseId())));
        } else {
            out.line(text);
        }
    }

    private static String text(Leader leader) {
        return Output.escape(leader.valueAsString()) + " (epoch " + leader.revision() + ")";
    }

    private static String defaultValue() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + ":" + ProcessHandle.current().pid();
    }
}
