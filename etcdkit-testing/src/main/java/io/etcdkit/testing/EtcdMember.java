package io.etcdkit.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.etcdkit.testing.ProcessSignals.Signal;

/**
 * One etcd process of an {@link EtcdCluster}, with fault injection: kill, stop, start, restart, pause,
 * resume.
 *
 * <p>A member keeps its name, ports, data directory and log file for its whole life, so a killed or stopped
 * member can be started again and rejoins the cluster with its old identity. Its temporary directory
 * ({@link #dataDir()}'s parent) holds the data directory and the log file; {@link EtcdCluster#close()}
 * deletes it.
 *
 * <p>Thread safety: all methods may be called from any thread. Operations that change the process
 * (kill, stop, start, restart, pause, resume) are serialized per member; the accessors never block on them.
 * Operations on different members may run concurrently. Blocking waits are bounded: stop waits at most
 * 10 s for a graceful exit before it kills, and start waits at most the cluster's start timeout.
 */
public final class EtcdMember {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdMember.class);
    private static final Duration EXIT_AFTER_TERM = Duration.ofSeconds(10);
    private static final Duration EXIT_AFTER_KILL = Duration.ofSeconds(5);
    private static final Duration SIGNAL_EFFECT = Duration.ofSeconds(5);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

    private final EtcdCluster cluster;
    private final String name;
    private final String clientEndpoint;
    private final String peerEndpoint;
    private final Path directory;
    private final Path dataDir;
    private final Path logFile;
    private final Optional<String> controlGroup;
    private final ReentrantLock lock = new ReentrantLock();

    private volatile List<String> command;

    private volatile Process process;
    private volatile boolean paused;
    private volatile long memberId;

    EtcdMember(EtcdCluster cluster, String name, String clientEndpoint, String peerEndpoint, Path directory,
               List<String> command, Optional<String> controlGroup) {
        this.cluster = cluster;
        this.name = name;
        this.clientEndpoint = clientEndpoint;
        this.peerEndpoint = peerEndpoint;
        this.directory = directory;
        this.dataDir = directory.resolve("data");
        this.logFile = directory.resolve("etcd.log");
        this.command = List.copyOf(command);
        this.controlGroup = controlGroup;
    }

    /**
     * The member's etcd name ({@code m0}, {@code m1}, ...), stable for its life.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The client URL, e.g. {@code http://127.0.0.1:34567} ({@code https} for TLS clusters); stable.
     *
     * @return the client URL
     */
    public String clientEndpoint() {
        return clientEndpoint;
    }

    /**
     * The peer URL, always plain {@code http://127.0.0.1:<port>}; stable.
     *
     * @return the peer URL
     */
    public String peerEndpoint() {
        return peerEndpoint;
    }

    /**
     * The operating-system process id of the current (or last) etcd process of this member, or {@code -1} if
     * it was never launched. A restart gives a new pid.
     *
     * @return the pid, or -1
     */
    public long pid() {
        Process current = process;
        return current == null ? -1 : current.pid();
    }

    /**
     * The etcd {@code --data-dir}; kept across restarts, deleted by {@link EtcdCluster#close()}.
     *
     * @return the data directory
     */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * The file receiving the member's stdout and stderr (etcd's zap JSON log); appended to across restarts,
     * each launch preceded by a line starting with {@code === etcdkit}. Deleted by {@link EtcdCluster#close()}.
     *
     * @return the log file
     */
    public Path logFile() {
        return logFile;
    }

    /**
     * The cgroup (v2) group that holds this member's process, as a path relative to the cgroup v2 root (the form
     * {@code iptables -m cgroup --path} takes), or empty when members cannot be placed in groups here (see
     * {@link ControlGroups}). Stable for the member's life, across restarts.
     *
     * @return the group's relative path, or empty
     */
    public Optional<String> controlGroup() {
        return controlGroup;
    }

    /**
     * Whether the etcd process is alive (a paused process is alive).
     *
     * @return whether the process is alive
     */
    public boolean isRunning() {
        Process current = process;
        return current != null && current.isAlive();
    }

    /**
     * Whether the process was paused with {@link #pause()} and not yet resumed, killed or stopped.
     *
     * @return whether the process is paused
     */
    public boolean isPaused() {
        return paused && isRunning();
    }

    /**
     * The member id as etcd reports it in hex (as etcdctl prints it, e.g. {@code 8e9e05c52164694d}). Ids are
     * derived from the peer URL and cluster token, so they survive restarts.
     *
     * @return the member id in lower-case hex
     * @throws IllegalStateException if the id was never learned and the member is not running
     * @throws EtcdTestingException  if the running member does not report its status within the start timeout
     */
    public String memberId() {
        long known = memberId;
        if (known != 0) {
            return MemberStatus.hex(known);
        }
        if (!isRunning() || isPaused()) {
            throw new IllegalStateException("Member " + name + " is not running (or paused) and its id is not known yet");
        }
        MemberStatus status = Poll.value(cluster.startTimeout(),
                        () -> cluster.gateway().status(clientEndpoint, PROBE_TIMEOUT))
                .orElseThrow(() -> new EtcdTestingException("Member " + name + " did not report its status within "
                        + cluster.startTimeout().toMillis() + " ms" + LogTail.section(name, logFile)));
        memberId = status.memberId();
        return MemberStatus.hex(status.memberId());
    }

    /**
     * Kills the process with SIGKILL and waits (at most 5 s) until it has exited. Does nothing if the member is
     * not running. Works on a paused member.
     *
     * @throws EtcdTestingException if the signal cannot be sent or the process does not exit
     */
    public void kill() {
        lock.lock();
        try {
            Process current = process;
            if (current == null || !current.isAlive()) {
                return;
            }
            LOG.info("Killing etcd member {} (pid {})", name, current.pid());
            signal(current, Signal.KILL);
            awaitExit(current, EXIT_AFTER_KILL);
            paused = false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the process gracefully with SIGTERM (resuming it first if paused) and waits for it to exit; if it
     * has not exited after 10 s it is killed. A stopping leader hands leadership over first. Does nothing if
     * the member is not running.
     *
     * @throws EtcdTestingException if a signal cannot be sent or the process does not exit
     */
    public void stop() {
        lock.lock();
        try {
            Process current = process;
            if (current == null || !current.isAlive()) {
                return;
            }
            LOG.info("Stopping etcd member {} (pid {})", name, current.pid());
            if (paused) {
                signal(current, Signal.CONT);
                paused = false;
            }
            signal(current, Signal.TERM);
            if (!waitFor(current, EXIT_AFTER_TERM)) {
                LOG.warn("etcd member {} did not exit within {} ms of SIGTERM; killing it", name,
                        EXIT_AFTER_TERM.toMillis());
                signal(current, Signal.KILL);
                awaitExit(current, EXIT_AFTER_KILL);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Starts a stopped or killed member again with the same name, ports and data directory, and waits until
     * it is healthy (it answers {@code /health} with true, i.e. it has rejoined and sees a leader).
     *
     * <p>If the members running after this start are fewer than a quorum, the member cannot become healthy on
     * its own (etcd 3.4 does not even serve clients before it has published itself through raft); then this
     * method returns as soon as the member's peer port is listening, and
     * {@link EtcdCluster#awaitHealthy(Duration)} can be used once enough members run.
     *
     * @throws IllegalStateException if the member is running or its cluster is closed or not started
     * @throws EtcdStartException    if the process exits, its port is taken, or it is not healthy within the
     *                               cluster's start timeout; the message includes the log tail
     */
    public void start() {
        lock.lock();
        try {
            if (isRunning()) {
                throw new IllegalStateException("Member " + name + " is already running (pid " + pid() + ")");
            }
            cluster.requireUsable();
            launch();
            awaitServing(cluster.startTimeout());
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@link #stop() Stops} the member (if running) and {@link #start() starts} it again.
     *
     * @throws IllegalStateException if the cluster is closed or not started
     * @throws EtcdStartException    as for {@link #start()}
     */
    public void restart() {
        lock.lock();
        try {
            cluster.requireUsable();
            stop();
            start();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Freezes the process with SIGSTOP and waits (at most 5 s) until the kernel reports it stopped. The member
     * keeps its sockets but answers nothing, like a hung host; peers will elect a new leader if it led.
     * Does nothing if already paused.
     *
     * @throws IllegalStateException if the member is not running
     * @throws EtcdTestingException  if the signal cannot be sent or has no effect in time
     */
    public void pause() {
        lock.lock();
        try {
            Process current = requireRunning();
            if (paused) {
                return;
            }
            LOG.info("Pausing etcd member {} (pid {})", name, current.pid());
            signal(current, Signal.STOP);
            awaitStopped(current, true);
            paused = true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Thaws a paused process with SIGCONT and waits (at most 5 s) until the kernel reports it running.
     * Does nothing if the member is not paused.
     *
     * @throws EtcdTestingException if the signal cannot be sent or has no effect in time
     */
    public void resume() {
        lock.lock();
        try {
            Process current = process;
            if (!paused || current == null || !current.isAlive()) {
                paused = false;
                return;
            }
            LOG.info("Resuming etcd member {} (pid {})", name, current.pid());
            signal(current, Signal.CONT);
            awaitStopped(current, false);
            paused = false;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "EtcdMember[" + name + " " + clientEndpoint + (isRunning() ? " pid " + pid() : " not running")
                + (isPaused() ? " paused" : "") + "]";
    }

    // ---- package-private, used by EtcdCluster ----

    /** The member's temporary directory (parent of the data dir and the log). */
    Path directory() {
        return directory;
    }

    /** The member id if already learned, else 0. */
    long knownId() {
        return memberId;
    }

    /** Records the member id the member reported about itself. */
    void rememberId(long id) {
        if (id != 0) {
            memberId = id;
        }
    }

    /**
     * Makes the next launch join the running cluster as a new member ({@code --initial-cluster-state=existing})
     * and forgets the old member id; used after the member was removed and added again with a wiped data dir.
     */
    void joinAsNewMember() {
        lock.lock();
        try {
            command = command.stream()
                    .map(arg -> arg.equals("--initial-cluster-state=new") ? "--initial-cluster-state=existing" : arg)
                    .collect(java.util.stream.Collectors.toUnmodifiableList());
            memberId = 0;
        } finally {
            lock.unlock();
        }
    }

    /** Spawns the etcd process without waiting for it to serve. */
    void launch() {
        lock.lock();
        try {
            String header = "=== etcdkit " + Instant.now() + " launching " + name + ": " + String.join(" ", command)
                    + System.lineSeparator();
            Files.writeString(logFile, header, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            List<String> launched = controlGroup.map(g -> ControlGroups.wrap(command, g)).orElse(command);
            Process started = new ProcessBuilder(launched)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            process = started;
            paused = false;
            LOG.debug("Launched etcd member {} (pid {}): {}", name, started.pid(), command);
        } catch (IOException e) {
            throw new EtcdStartException("Cannot launch etcd member " + name + " with " + command + ": " + e, e);
        } finally {
            lock.unlock();
        }
    }

    /** An exception describing that the process exited during start, with its log tail. */
    EtcdStartException exitedDuringStart() {
        Process current = process;
        String code = current == null || current.isAlive() ? "?" : Integer.toString(current.exitValue());
        return new EtcdStartException("etcd member " + name + " exited with code " + code + " during start"
                + LogTail.section(name, logFile));
    }

    /**
     * Forcibly ends the process without taking the member lock (for close and the shutdown hook): resume if
     * paused, SIGKILL, wait at most 5 s. Never throws.
     */
    void destroy() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            paused = false;
            return;
        }
        if (paused) {
            try {
                ProcessSignals.send(current.pid(), Signal.CONT);
            } catch (RuntimeException e) {
                // SIGKILL below ends a stopped process too
            }
        }
        current.destroyForcibly();
        if (!waitFor(current, EXIT_AFTER_KILL)) {
            LOG.warn("etcd member {} (pid {}) did not exit within {} ms of SIGKILL", name, current.pid(),
                    EXIT_AFTER_KILL.toMillis());
        }
        paused = false;
    }

    // ---- internals ----

    private void awaitServing(Duration timeout) {
        boolean quorum = cluster.quorumRunningWith(this);
        boolean ready = Poll.until(timeout, () -> {
            if (!isRunning()) {
                throw exitedDuringStart();
            }
            return quorum ? cluster.gateway().isHealthy(clientEndpoint, PROBE_TIMEOUT) : peerPortListening();
        });
        if (!ready) {
            throw new EtcdStartException("etcd member " + name + " did not become "
                    + (quorum ? "healthy" : "reachable on its peer port") + " within " + timeout.toMillis() + " ms"
                    + LogTail.section(name, logFile));
        }
        if (quorum) {
            cluster.gateway().status(clientEndpoint, PROBE_TIMEOUT).ifPresent(s -> rememberId(s.memberId()));
        }
        LOG.info("etcd member {} started (pid {})", name, pid());
    }

    private boolean peerPortListening() {
        URI uri = URI.create(peerEndpoint);
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Process requireRunning() {
        Process current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException("Member " + name + " is not running");
        }
        return current;
    }

    private void signal(Process target, Signal signal) {
        try {
            ProcessSignals.send(target.pid(), signal);
        } catch (EtcdTestingException e) {
            if ((signal == Signal.KILL || signal == Signal.TERM) && !target.isAlive()) {
                return; // it exited on its own meanwhile: the goal is reached
            }
            throw e;
        }
    }

    private void awaitExit(Process target, Duration timeout) {
        if (!waitFor(target, timeout)) {
            throw new EtcdTestingException("etcd member " + name + " (pid " + target.pid() + ") did not exit within "
                    + timeout.toMillis() + " ms");
        }
    }

    private static boolean waitFor(Process target, Duration timeout) {
        try {
            return target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !target.isAlive();
        }
    }

    private void awaitStopped(Process target, boolean stopped) {
        boolean done = Poll.until(SIGNAL_EFFECT,
                () -> ProcessSignals.isStopped(target.pid()).map(s -> s == stopped).orElse(true));
        if (!done) {
            throw new EtcdTestingException("etcd member " + name + " (pid " + target.pid() + ") is not "
                    + (stopped ? "stopped" : "running") + " " + SIGNAL_EFFECT.toMillis() + " ms after the signal");
        }
    }

    /** The member's process, if launched (for tests in this package). */
    Optional<Process> process() {
        return Optional.ofNullable(process);
    }
}
