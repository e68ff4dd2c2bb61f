package io.etcdkit.testing;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd cluster of local processes for tests: no Docker, no mocks.
 *
 * <pre>{@code
 * try (EtcdCluster cluster = EtcdCluster.builder().members(3).tls(true).build()) {
 *     cluster.start();
 *     String endpoints = cluster.clientEndpointsString();
 *     cluster.leader().kill();
 *     cluster.awaitLeader(Duration.ofSeconds(10));
 * }
 * }</pre>
 *
 * <p>Lifecycle: {@link #builder() build} → {@link #start()} (once) → {@link #close()}. Each member listens on
 * free 127.0.0.1 ports and keeps its data and log in its own temporary directory; {@code close()} (and, as a
 * safety net, a JVM shutdown hook) kills every member and deletes those directories.
 *
 * <p>Thread safety: all methods may be called from any thread. {@code start()} and {@code close()} are
 * serialized with each other; the accessors never block on them. Every wait is a bounded poll.
 */
public final class EtcdCluster implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EtcdCluster.class);
    private static final int START_ATTEMPTS = 3;
    private static final Duration LEADER_WAIT = Duration.ofSeconds(10);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { NEW, STARTING, RUNNING, CLOSED }

    private final ClusterSettings settings;
    private final String rootPassword;
    private final ReentrantLock lifecycle = new ReentrantLock();

    private volatile State state = State.NEW;
    private volatile boolean started;
    private volatile List<EtcdMember> members = List.of();
    private volatile Optional<TlsFiles> tlsFiles = Optional.empty();
    private volatile Path tlsDir;
    private volatile GatewayClient gateway;

    EtcdCluster(ClusterSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.rootPassword = settings.rootPassword().orElseGet(EtcdCluster::randomPassword);
    }

    /**
     * A new builder with etcd's defaults: one member, plain http, no auth, election timeout 1000 ms,
     * heartbeat 100 ms, start timeout 30 s.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Launches the members and blocks until every member is healthy and all agree on an elected leader; then,
     * if auth was requested, creates user {@code root} with {@link #rootPassword()}, grants it the role
     * {@code root} and enables authentication.
     *
     * <p>If a chosen port was taken between choosing and binding, the whole start is retried with fresh ports
     * (up to 3 attempts). On failure every launched member is killed and its directory deleted, and the
     * cluster is closed.
     *
     * @throws EtcdBinaryNotFoundException if no etcd executable is found (the message says how to install one)
     * @throws EtcdStartException          if the cluster is not ready within the start timeout or a member exits;
     *                                     the message includes the last lines of the members' logs
     * @throws IllegalStateException       if {@code start()} was already called
     */
    public void start() {
        lifecycle.lock();
        try {
            if (state != State.NEW) {
                throw new IllegalStateException("start() may be called once; this cluster is " + state);
            }
            state = State.STARTING;
            ShutdownReaper.register(this);
            long begin = System.nanoTime();
            try {
                launchCluster();
            } catch (RuntimeException | Error e) {
                releaseResources();
                state = State.CLOSED;
                ShutdownReaper.unregister(this);
                throw e;
            }
            started = true;
            state = State.RUNNING;
            LOG.info("etcd cluster of {} member(s) started in {} ms: {}{}{}", members.size(),
                    Duration.ofNanos(System.nanoTime() - begin).toMillis(), clientEndpointsString(),
                    settings.clientCertAuth() ? " (mTLS)" : settings.tls() ? " (TLS)" : "",
                    settings.auth() ? " (auth)" : "");
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The client URLs of all members in member order, e.g. {@code http://127.0.0.1:34567} ({@code https} when
     * TLS is on). Stable for the cluster's life, also for members that are down.
     *
     * @return the client URLs, one per member
     * @throws IllegalStateException if the cluster was not started successfully
     */
    public List<String> clientEndpoints() {
        return requireStarted().stream().map(EtcdMember::clientEndpoint).collect(Collectors.toUnmodifiableList());
    }

    /**
     * The client URLs joined with commas, as etcdctl's {@code --endpoints} takes them.
     *
     * @return the client URLs separated by commas
     * @throws IllegalStateException if the cluster was not started successfully
     */
    public String clientEndpointsString() {
        return String.join(",", clientEndpoints());
    }

    /**
     * All members in order {@code m0, m1, ...}; an unmodifiable list.
     *
     * @return the members
     * @throws IllegalStateException if the cluster was not started successfully
     */
    public List<EtcdMember> members() {
        return requireStarted();
    }

    /**
     * The member at {@code index} (member {@code m<index>}).
     *
     * @param index zero-based member index
     * @return the member
     * @throws IndexOutOfBoundsException if there is no such member
     * @throws IllegalStateException     if the cluster was not started successfully
     */
    public EtcdMember member(int index) {
        return requireStarted().get(index);
    }

    /**
     * The current leader, waiting at most 10 s for one: the running, unpaused member that reports itself as
     * leader in its status (the one with the highest raft term if a stale one still believes it leads).
     *
     * @return the leader
     * @throws EtcdNoLeaderException if no member reports leadership within 10 s
     * @throws IllegalStateException if the cluster is not running
     */
    public EtcdMember leader() {
        return awaitLeader(LEADER_WAIT);
    }

    /**
     * Waits at most {@code timeout} for a leader (see {@link #leader()}) and returns it.
     *
     * @param timeout how long to wait at most
     * @return the leader
     * @throws EtcdNoLeaderException if no member reports leadership in time
     * @throws IllegalStateException if the cluster is not running
     */
    public EtcdMember awaitLeader(Duration timeout) {
        requireUsable();
        return Poll.value(timeout, this::findLeader).orElseThrow(() -> new EtcdNoLeaderException(
                "No etcd member reported itself as leader within " + timeout.toMillis() + " ms; members: "
                        + describeMembers()));
    }

    /**
     * Waits at most {@code timeout} until every running, unpaused member answers {@code /health} with true.
     *
     * @param timeout how long to wait at most
     * @throws EtcdTestingException  if some member is not healthy in time (the message names them)
     * @throws IllegalStateException if the cluster is not running
     */
    public void awaitHealthy(Duration timeout) {
        requireUsable();
        boolean healthy = Poll.until(timeout, () -> members.stream()
                .filter(m -> m.isRunning() && !m.isPaused())
                .allMatch(m -> gateway.isHealthy(m.clientEndpoint(), PROBE_TIMEOUT)));
        if (!healthy) {
            throw new EtcdTestingException("etcd members not healthy within " + timeout.toMillis() + " ms: "
                    + describeMembers());
        }
    }

    /**
     * Replaces member {@code index} by a fresh one with the same name and URLs: removes it from the cluster
     * ({@code member remove}), kills its process, wipes its data directory, adds it again ({@code member add}, which
     * gives it a new member id) and starts it with {@code --initial-cluster-state=existing}, then waits until the
     * cluster is healthy. The new member receives the data from the others. Not for clusters with auth.
     *
     * @param index zero-based index of the member to replace
     * @return the replaced member (same object, new id and process)
     * @throws IndexOutOfBoundsException if there is no such member
     * @throws IllegalStateException     if the cluster is not running, has fewer than 3 members, or has auth on
     * @throws EtcdTestingException      if a membership change fails or the cluster is not healthy within the
     *                                   start timeout
     */
    public EtcdMember replaceMember(int index) {
        lifecycle.lock();
        try {
            requireUsable();
            EtcdMember target = members.get(index);
            if (members.size() < 3) {
                throw new IllegalStateException("replaceMember needs at least 3 members (a majority must stay up while "
                        + "one is replaced); this cluster has " + members.size());
            }
            if (settings.auth()) {
                throw new IllegalStateException("replaceMember does not support clusters with auth(true)");
            }
            MemberReplacement.replace(this, target, max(settings.startTimeout(), LEADER_WAIT));
            return target;
        } finally {
            lifecycle.unlock();
        }
    }

    /**
     * The PEM files of this run if TLS is on ({@link Builder#tls(boolean)} or {@link Builder#clientCertAuth(boolean)}),
     * else empty. The files are deleted by {@link #close()}.
     *
     * @return the TLS files, or empty without TLS
     * @throws IllegalStateException if TLS is on and the cluster was not started successfully
     */
    public Optional<TlsFiles> tlsFiles() {
        if (!settings.tls()) {
            return Optional.empty();
        }
        requireStarted();
        return tlsFiles;
    }

    /**
     * The password of user {@code root}: the one given to {@link Builder#rootPassword(String)}, else random per
     * cluster.
     *
     * @return the root password
     * @throws IllegalStateException if auth is not enabled for this cluster
     */
    public String rootPassword() {
        if (!settings.auth()) {
            throw new IllegalStateException("This cluster was built without auth(true); there is no root password");
        }
        return rootPassword;
    }

    /**
     * Kills every member that is still running (resuming paused ones first), waits for them to exit and
     * deletes all temporary directories (data, logs, TLS files). Idempotent; never throws for a member that is
     * already gone. After close, the accessors still return the endpoints and paths, but nothing runs.
     */
    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            releaseResources();
            ShutdownReaper.unregister(this);
            LOG.info("etcd cluster closed: {}", started ? clientEndpointsString() : "(never started)");
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public String toString() {
        return "EtcdCluster[" + state + " " + describeMembers() + "]";
    }

    // ---- package-private, used by EtcdMember, ShutdownReaper and EtcdClusterExtension ----

    GatewayClient gateway() {
        return gateway;
    }

    Duration startTimeout() {
        return settings.startTimeout();
    }

    /** Whether the members running (and not paused) once {@code member} runs form a quorum. */
    boolean quorumRunningWith(EtcdMember member) {
        long running = members.stream().filter(m -> m == member || (m.isRunning() && !m.isPaused())).count();
        return running >= settings.quorum();
    }

    /** Throws unless the cluster was started and is not closed. */
    void requireUsable() {
        if (state != State.RUNNING) {
            throw new IllegalStateException("The etcd cluster is " + state + "; it must be started and not closed");
        }
    }

    /** The members of the latest start attempt, also after a failed start (for tests). */
    List<EtcdMember> launchedMembers() {
        return members;
    }

    /** Shutdown-hook cleanup: like {@link #close()} but without waiting for the lifecycle lock. */
    void reap() {
        state = State.CLOSED;
        releaseResources();
    }

    // ---- internals ----

    private List<EtcdMember> requireStarted() {
        if (!started) {
            throw new IllegalStateException("The etcd cluster has not been started successfully; call start() first");
        }
        return members;
    }

    private void launchCluster() {
        long deadline = System.nanoTime() + settings.startTimeout().toNanos();
        Path binary = EtcdBinary.locate(settings.binary());
        Optional<SSLContext> ssl = Optional.empty();
        if (settings.tls()) {
            tlsDir = TempDirectories.create("tls");
            TlsFiles files = TlsFilesGenerator.generate(tlsDir);
            tlsFiles = Optional.of(files);
            ssl = Optional.of(settings.clientCertAuth()
                    ? PemSslContexts.create(files.caCert(), Optional.of(files.clientCert()), Optional.of(files.clientKey()))
                    : PemSslContexts.create(files.caCert(), Optional.empty(), Optional.empty()));
        }
        gateway = new GatewayClient(ssl);
        for (int attempt = 1; ; attempt++) {
            members = createMembers(binary);
            try {
                members.forEach(EtcdMember::launch);
                awaitReady(deadline);
                break;
            } catch (EtcdStartException e) {
                boolean portTaken = members.stream().anyMatch(m -> LogTail.showsPortConflict(m.logFile()));
                releaseMembers();
                if (!portTaken || attempt >= START_ATTEMPTS || Poll.remaining(deadline).isZero()) {
                    throw e;
                }
                LOG.info("A port chosen for etcd was taken meanwhile (attempt {} of {}); retrying with new ports",
                        attempt, START_ATTEMPTS);
            }
        }
        if (settings.auth()) {
            EtcdMember first = members.get(0);
            try {
                AuthEnabler.enable(gateway, first.clientEndpoint(), rootPassword,
                        max(Poll.remaining(deadline), PROBE_TIMEOUT));
            } catch (GatewayException e) {
                throw new EtcdStartException("Cannot enable etcd authentication: " + e.getMessage()
                        + LogTail.section(first.name(), first.logFile()), e);
            }
        }
    }

    private List<EtcdMember> createMembers(Path binary) {
        int count = settings.members();
        int[] ports = settings.ports().allocate(2 * count);
        String scheme = settings.tls() ? "https" : "http";
        String token = "etcdkit-" + UUID.randomUUID();
        StringJoiner initialCluster = new StringJoiner(",");
        for (int i = 0; i < count; i++) {
            initialCluster.add("m" + i + "=http://127.0.0.1:" + ports[2 * i + 1]);
        }
        List<EtcdMember> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = "m" + i;
            String clientUrl = scheme + "://127.0.0.1:" + ports[2 * i];
            String peerUrl = "http://127.0.0.1:" + ports[2 * i + 1];
            Path directory = TempDirectories.create(name);
            List<String> command = MemberCommand.build(binary, settings, name, clientUrl, peerUrl,
                    directory.resolve("data"), initialCluster.toString(), token, tlsFiles);
            Optional<String> group = ControlGroups.create(Integer.toString(ports[2 * i]));
            created.add(new EtcdMember(this, name, clientUrl, peerUrl, directory, command, group));
        }
        return List.copyOf(created);
    }

    private void awaitReady(long deadline) {
        Duration timeout = Poll.remaining(deadline);
        boolean ready = Poll.until(timeout, () -> {
            for (EtcdMember m : members) {
                if (!m.isRunning()) {
                    throw m.exitedDuringStart();
                }
            }
            for (EtcdMember m : members) {
                if (!gateway.isHealthy(m.clientEndpoint(), PROBE_TIMEOUT)) {
                    return false;
                }
            }
            Set<Long> leaders = new HashSet<>();
            Set<Long> ids = new HashSet<>();
            for (EtcdMember m : members) {
                Optional<MemberStatus> status = gateway.status(m.clientEndpoint(), PROBE_TIMEOUT);
                if (status.isEmpty() || !status.get().hasLeader()) {
                    return false;
                }
                leaders.add(status.get().leaderId());
                ids.add(status.get().memberId());
            }
            if (leaders.size() != 1 || ids.size() != members.size() || !ids.containsAll(leaders)) {
                return false;
            }
            for (EtcdMember m : members) {
                gateway.status(m.clientEndpoint(), PROBE_TIMEOUT).ifPresent(s -> m.rememberId(s.memberId()));
            }
            return members.stream().allMatch(m -> m.knownId() != 0);
        });
        if (!ready) {
            StringBuilder logs = new StringBuilder();
            for (EtcdMember m : members) {
                logs.append(LogTail.section(m.name(), m.logFile()));
            }
            throw new EtcdStartException("etcd cluster of " + members.size() + " member(s) was not healthy with an "
                    + "elected leader within " + settings.startTimeout().toMillis() + " ms; members: "
                    + describeMembers() + logs);
        }
    }

    private Optional<EtcdMember> findLeader() {
        Map.Entry<EtcdMember, MemberStatus> best = null;
        for (EtcdMember m : members) {
            if (!m.isRunning() || m.isPaused()) {
                continue;
            }
            Optional<MemberStatus> status = gateway.status(m.clientEndpoint(), PROBE_TIMEOUT);
            if (status.isPresent() && status.get().isLeader()) {
                m.rememberId(status.get().memberId());
                if (best == null || status.get().raftTerm() > best.getValue().raftTerm()) {
                    best = Map.entry(m, status.get());
                }
            }
        }
        return Optional.ofNullable(best).map(Map.Entry::getKey);
    }

    private String describeMembers() {
        return members.stream().map(EtcdMember::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private void releaseMembers() {
        List<EtcdMember> current = members;
        current.forEach(EtcdMember::destroy);
        current.forEach(m -> m.controlGroup().ifPresent(ControlGroups::delete));
        for (EtcdMember m : current) {
            if (!TempDirectories.deleteRecursively(m.directory())) {
                LOG.warn("Could not delete {}", m.directory());
            }
        }
    }

    private void releaseResources() {
        releaseMembers();
        if (tlsDir != null && !TempDirectories.deleteRecursively(tlsDir)) {
            LOG.warn("Could not delete {}", tlsDir);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /**
     * Configures an {@link EtcdCluster}. Not thread-safe; {@link #build()} may be called repeatedly, each call
     * returning a new, unstarted cluster with the options at that moment.
     */
    public static final class Builder {

        private int members = 1;
        private boolean tls;
        private boolean clientCertAuth;
        private boolean auth;
        private String rootPassword;
        private Duration electionTimeout = Duration.ofMillis(1000);
        private Duration heartbeatInterval = Duration.ofMillis(100);
        private final List<String> extraArgs = new ArrayList<>();
        private Duration startTimeout = Duration.ofSeconds(30);
        private Path binary;
        private PortAllocator ports = LoopbackPortAllocator.INSTANCE;

        Builder() {
        }

        /**
         * Number of members (default 1). Use an odd number for failover tests: 3 tolerates one failure.
         *
         * @param members the number of members
         * @return this builder
         * @throws IllegalArgumentException from {@link #build()} if less than 1
         */
        public Builder members(int members) {
            this.members = members;
            return this;
        }

        /**
         * Whether client URLs use https with certificates generated for this run (default false).
         *
         * @param tls whether to use TLS
         * @return this builder
         */
        public Builder tls(boolean tls) {
            this.tls = tls;
            return this;
        }

        /**
         * Whether members require a client certificate signed by the run's CA (mutual TLS, default false).
         * Implies {@link #tls(boolean) tls(true)}; use {@link TlsFiles#clientCert()} and
         * {@link TlsFiles#clientKey()} to connect.
         *
         * @param clientCertAuth whether to require client certificates
         * @return this builder
         */
        public Builder clientCertAuth(boolean clientCertAuth) {
            this.clientCertAuth = clientCertAuth;
            return this;
        }

        /**
         * Whether to enable etcd authentication after start (default false): user {@code root} with
         * {@link EtcdCluster#rootPassword()} and role {@code root}.
         *
         * @param auth whether to enable authentication
         * @return this builder
         */
        public Builder auth(boolean auth) {
            this.auth = auth;
            return this;
        }

        /**
         * A fixed password for user {@code root} (default: random per cluster). Only used with auth.
         *
         * @param rootPassword the password, not empty
         * @return this builder
         */
        public Builder rootPassword(String rootPassword) {
            this.rootPassword = Objects.requireNonNull(rootPassword, "rootPassword");
            return this;
        }

        /**
         * etcd {@code --election-timeout} (default 1000 ms, etcd's default); at least 5 heartbeats.
         *
         * @param electionTimeout the election timeout, whole milliseconds
         * @return this builder
         */
        public Builder electionTimeout(Duration electionTimeout) {
            this.electionTimeout = Objects.requireNonNull(electionTimeout, "electionTimeout");
            return this;
        }

        /**
         * etcd {@code --heartbeat-interval} (default 100 ms, etcd's default).
         *
         * @param heartbeatInterval the heartbeat interval, whole milliseconds
         * @return this builder
         */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
            return this;
        }

        /**
         * Adds flags passed to every member after the harness's own, e.g. {@code "--max-txn-ops=256"}; for a
         * flag given twice, etcd uses the later value. Calls accumulate.
         *
         * @param args etcd flags such as {@code --max-txn-ops=256}
         * @return this builder
         */
        public Builder extraArgs(String... args) {
            extraArgs.addAll(Arrays.asList(args));
            return this;
        }

        /**
         * Bound on {@link EtcdCluster#start()} (all attempts together) and on each
         * {@link EtcdMember#start()} (default 30 s).
         *
         * @param startTimeout the bound, at least 1 ms
         * @return this builder
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
            return this;
        }

        /**
         * An explicit etcd executable; overrides the {@code etcd.bin} system property, the {@code ETCD_BIN}
         * environment variable and the {@code PATH}.
         *
         * @param binary path of an etcd executable
         * @return this builder
         */
        public Builder etcdBinary(Path binary) {
            this.binary = Objects.requireNonNull(binary, "binary");
            return this;
        }

        Builder portAllocator(PortAllocator ports) {
            this.ports = Objects.requireNonNull(ports, "ports");
            return this;
        }

        /**
         * Creates an unstarted cluster with these options.
         *
         * @return a new cluster; call {@link EtcdCluster#start()} on it
         * @throws IllegalArgumentException if an option is invalid (the message names it)
         */
        public EtcdCluster build() {
            return new EtcdCluster(settings());
        }

        /** The validated options. */
        ClusterSettings settings() {
            return new ClusterSettings(members, tls, clientCertAuth, auth, Optional.ofNullable(rootPassword),
                    electionTimeout, heartbeatInterval, extraArgs, startTimeout, Optional.ofNullable(binary), ports);
        }
    }
}
