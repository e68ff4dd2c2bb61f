package io.etcdkit.cli;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.lock.HeldLock;
import io.etcdkit.recipes.lock.LockTimeoutException;
import io.etcdkit.recipes.lock.Mutex;
import io.etcdkit.recipes.session.Session;
import io.etcdkit.recipes.session.SessionState;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code etcdkit lock NAME -- COMMAND...}: runs a command while holding a fair etcd mutex.
 *
 * <p>If the lock's session expires while the command runs (etcd unreachable for a whole TTL, or the lease
 * revoked by someone), another process may take the lock, so the command is told to stop: SIGTERM to its process
 * tree at once, SIGKILL after {@code --grace}; the exit code is then {@link ExitCode#LOST}. While keep-alives are
 * merely overdue (the session is suspended) a warning is printed and the command keeps running. A lock alone
 * cannot stop a late write of a stopped process: commands that write where it matters should pass the fencing
 * token on ({@code ETCDKIT_FENCING_TOKEN}).
 */
@Command(name = "lock", mixinStandardHelpOptions = true,
        description = {"Run a command while holding a distributed lock.",
            "Runs COMMAND while holding the lock NAME (a fair etcd mutex, compatible with 'etcdctl lock'), then "
                + "releases it. Exits with COMMAND's exit code (127 if it cannot be started).",
            "COMMAND sees ETCDKIT_LOCK_KEY (the lock's key) and ETCDKIT_FENCING_TOKEN (a number that grows with every "
                + "acquisition: pass it on so stale holders can be refused), and the same two as etcdctl lock names them, "
                + "ETCD_LOCK_KEY and ETCD_LOCK_REV (the revision is the fencing token).",
            "If the lock is lost while COMMAND runs (its session expired: etcd unreachable for --ttl), etcdkit says "
                + "so on stderr, sends SIGTERM to COMMAND and its children, SIGKILL after --grace, and exits 8. "
                + "Overdue keep-alives alone only print a warning.",
            "Write -- before COMMAND when it has options of its own: etcdkit lock NAME -- ls -l"})
final class LockCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The lock's name (its key prefix).")
    String name;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND",
            description = "The command and its arguments (after --).")
    List<String> command = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
            description = "Session TTL: a crashed holder's lock frees itself after this (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Give up (exit 6) when the lock is not acquired within this; default: wait as long as "
                    + "it takes.")
    Duration wait;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "After SIGTERM, how long COMMAND may take to exit before SIGKILL (default: "
                    + "${DEFAULT-VALUE}).")
    Duration grace;

    @Override
    int run(EtcdClient client, Output out) throws InterruptedException {
        List<String> cmd = command.isEmpty() || !command.get(0).equals("--") ? command
                : command.subList(1, command.size());
        if (cmd.isEmpty()) {
            throw CliException.usage("name the command to run after the lock name, e.g. etcdkit lock " + name
                    + " -- ./reindex.sh");
        }
        ShutdownSignal signal = ShutdownSignal.install();
        try (signal; Session session = Session.open(client, ttl)) {
            HeldLock held = acquire(Mutex.of(session, name));
            try {
                return runHolding(session, held, cmd);
            } finally {
                release(held);
            }
        } catch (InterruptedException e) {
            return ExitCode.INTERRUPTED;
        }
    }

    private HeldLock acquire(Mutex mutex) throws InterruptedException {
        try {
            return wait == null ? mutex.lock() : mutex.lock(wait);
        } catch (LockTimeoutException e) {
            throw new CliException(ExitCode.WAIT_TIMEOUT, "lock '" + name + "' was not acquired within "
                    + DurationConverter.format(wait) + " (someone else holds it)", e);
        }
    }

    private int runHolding(Session session, HeldLock held, List<String> cmd) throws InterruptedException {
        PrintWriter err = err();
        CompletableFuture<String> lost = new CompletableFuture<>();
        session.addListener((was, now, why) -> {
            if (now == SessionState.SUSPENDED) {
                warn(err, "lock '" + name + "' is at risk: " + why + "; the command keeps running");
            } else if (now == SessionState.CONNECTED && was == SessionState.SUSPENDED) {
                warn(err, "lock '" + name + "' is safe again");
            } else if (now == SessionState.EXPIRED) {
                lost.complete(why);
            }
        });
        if (lost.isDone()) {
            throw new CliException(ExitCode.LOST, "lost lock '" + name + "' before the command started");
        }
        String key = held.key().toStringUtf8();
        String token = Long.toString(held.fencingToken());
        // etcdctl lock's names too, so scripts written for it work unchanged: the revision is the fencing token
        ChildProcess child = ChildProcess.start(cmd, Map.of("ETCDKIT_LOCK_KEY", key, "ETCDKIT_FENCING_TOKEN", token,
                "ETCD_LOCK_KEY", key, "ETCD_LOCK_REV", token));
        try {
            CompletableFuture.anyOf(child.onExit(), lost).get();
        } catch (InterruptedException e) {
            child.terminate(grace);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for the command cannot fail", e);
        }
        if (lost.isDone()) {
            warn(err, "lost lock '" + name + "' (" + lost.getNow("") + "); another process may hold it now: stopping "
                    + "the command (SIGTERM, SIGKILL after " + DurationConverter.format(grace) + ")");
            child.terminate(grace);
            throw new CliException(ExitCode.LOST, "lost lock '" + name + "' while the command ran; it was stopped "
                    + "(its exit code was " + child.waitFor() + ")");
        }
        return child.waitFor();
    }

    private void release(HeldLock held) {
        Thread.interrupted(); // after Ctrl-C the lock must still be released, and that needs etcd calls
        try {
            held.close();
        } catch (RuntimeException e) {
            warn(err(), "could not release lock '" + name + "' (" + ErrorReporter.oneLine(e) + "); it frees itself "
                    + "within " + DurationConverter.format(ttl));
        }
    }

    private static void warn(PrintWriter err, String message) {
        err.println("etcdkit lock: " + message);
        err.flush();
    }
}
