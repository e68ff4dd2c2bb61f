package io.etcdkit.micrometer;

import io.etcdkit.lease.LeaseState;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.EtcdListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * etcdkit's listener bound to Micrometer: every call, fail-over, watch stream, lease and recipe event becomes a
 * meter under {@code etcdkit.} (the list with tags is in {@code docs/metrics.md}), and, when an
 * {@link ObservationRegistry} is given, every call also becomes an {@link Observation} named {@code etcdkit.call}
 * that a tracing bridge turns into a span.
 *
 * <pre>{@code
 * EtcdMetrics metrics = EtcdMetrics.builder(meterRegistry)
 *         .observationRegistry(observationRegistry)   // optional
 *         .tags("client", "orders")                   // optional, on every meter
 *         .build();
 * EtcdClient client = EtcdClient.builder().endpoints(endpoints).listener(metrics).build();
 * }</pre>
 *
 * <p><b>Call timing.</b> The call timer {@code etcdkit.calls} is recorded by this listener, with the duration the
 * client measured, whether or not observations are on; the observation itself is for tracing and context. A meter
 * handler on the observation registry (Spring Boot installs one) would time each call a second time as
 * {@code etcdkit.call}: register {@link #denyObservationMeters()} on the meter registry to prevent that.
 *
 * <p><b>Cost.</b> Meters are registered on first use and then reused: per call, one map lookup and one timer
 * record, no tag building; without an observation registry, no observation work at all.
 *
 * <p>One instance may serve several clients (their figures add up), or give each client its own with a
 * distinguishing tag ({@link EtcdMetricsBuilder#tags(String...)}): two instances on one registry with the same
 * tags share their meters, and their gauges then show the first instance's state only. It is thread-safe.
 */
public final class EtcdMetrics implements EtcdListener {
    private final MeterRegistry registry;
    private final Tags common;
    private final ConcurrentHashMap<CallInfo, CallMeters> calls = new ConcurrentHashMap<>();
    private final ObservationRegistry observations;
    private final EtcdCallObservationConvention convention;
    private final MemberMetrics members;
    private final WatchMetrics watches;
    private final LeaseMetrics leases;
    private final LockMetrics locks;
    private final ElectionMetrics elections;
    private final CacheMetrics caches;
    private final ServiceRegistryMetrics services;

    EtcdMetrics(MeterRegistry registry, Tags common, ObservationRegistry observations,
            EtcdCallObservationConvention convention, BoundedTagValues lockTag) {
        this.registry = registry;
        this.common = common;
        this.observations = observations == null || observations.isNoop() ? null : observations;
        this.convention = convention;
        this.members = new MemberMetrics(registry, common);
        this.watches = new WatchMetrics(registry, common);
        this.leases = new LeaseMetrics(registry, common);
        this.locks = new LockMetrics(registry, common, lockTag);
        this.elections = new ElectionMetrics(registry, common);
        this.caches = new CacheMetrics(registry, common);
        this.services = new ServiceRegistryMetrics(registry, common);
    }

    /**
     * Starts configuring metrics that are registered on {@code registry}.
     *
     * @param registry where the meters go
     * @return a builder; {@link EtcdMetricsBuilder#build()} gives the listener
     * @throws NullPointerException if {@code registry} is {@code null}
     */
    public static EtcdMetricsBuilder builder(MeterRegistry registry) {
        return new EtcdMetricsBuilder(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * A meter filter that denies the timers a meter handler of an {@link ObservationRegistry} (such as Micrometer's
     * {@code DefaultMeterObservationHandler}, which Spring Boot installs) would derive from etcdkit's call
     * observations, {@code etcdkit.call} and {@code etcdkit.call.active}: calls are already timed as
     * {@code etcdkit.calls}. Register it before meters are created, e.g. as a Spring bean or with
     * {@code registry.config().meterFilter(EtcdMetrics.denyObservationMeters())}.
     *
     * @return the filter; it touches no other meter
     */
    public static MeterFilter denyObservationMeters() {
        String name = MeterNames.CALL_OBSERVATION;
        String active = name + ".active";
        return MeterFilter.deny(id -> id.getName().equals(name) || id.getName().equals(active));
    }

    /**
     * Counts and times the call; with an observation registry, starts its observation on the caller's thread.
     *
     * @param call which call
     * @return the listener that records the call's end
     */
    @Override
    public CallListener callStarted(CallInfo call) {
        CallMeters meters = calls.get(call);
        if (meters == null) {
            meters = calls.computeIfAbsent(call, c -> new CallMeters(registry, common, c));
        }
        if (observations == null) {
            return meters;
        }
        EtcdCallContext context = new EtcdCallContext(call);
        Observation observation = Observation.createNotStarted(convention,
                DefaultEtcdCallObservationConvention.INSTANCE, () -> context, observations);
        if (observation.isNoop()) {
            return meters;
        }
        observation.start();
        return new ObservedCall(meters, context, observation);
    }

    /**
     * Counts a fail-over and marks the member avoided.
     *
     * @param member the member's endpoint
     * @param reason what failed (not recorded)
     */
    @Override
    public void memberAvoided(String member, String reason) {
        members.avoided(member);
    }

    /**
     * Marks the member as no longer avoided.
     *
     * @param member the member's endpoint
     */
    @Override
    public void memberRecovered(String member) {
        members.recovered(member);
    }

    /**
     * Counts a watch stream connect.
     *
     * @param member the member's endpoint
     */
    @Override
    public void watchStreamConnected(String member) {
        watches.streamConnected(member);
    }

    /**
     * Counts a watch stream disconnect.
     *
     * @param member the member's endpoint
     * @param reason what happened (not recorded)
     */
    @Override
    public void watchStreamDisconnected(String member, String reason) {
        watches.streamDisconnected(member);
    }

    /** Adds one to the open watchers. */
    @Override
    public void watcherOpened() {
        watches.watcherOpened();
    }

    /** Takes one from the open watchers. */
    @Override
    public void watcherClosed() {
        watches.watcherClosed();
    }

    /**
     * Counts delivered events.
     *
     * @param count how many events
     */
    @Override
    public void watchEventsDelivered(int count) {
        watches.delivered(count);
    }

    /**
     * Counts a compacted watcher.
     *
     * @param compactRevision the oldest revision etcd still has (not recorded)
     */
    @Override
    public void watchCompacted(long compactRevision) {
        watches.compacted();
    }

    /** Counts a subscription's re-sync. */
    @Override
    public void watchResyncStarted() {
        watches.resyncStarted();
    }

    /**
     * Counts a lease entering {@code current}.
     *
     * @param leaseId the lease (not recorded)
     * @param previous the state before (not recorded)
     * @param current the state entered, the {@code state} tag
     */
    @Override
    public void leaseStateChanged(long leaseId, LeaseState previous, LeaseState current) {
        leases.changed(current);
    }

    /**
     * Counts a keep-alive stream failure.
     *
     * @param reason what failed (not recorded)
     */
    @Override
    public void keepAliveFailed(String reason) {
        leases.keepAliveFailed();
    }

    /**
     * Records the wait for a lock.
     *
     * @param lock the lock's name (a tag only with {@link EtcdMetricsBuilder#lockTag})
     * @param waited how long the caller waited
     */
    @Override
    public void lockAcquired(String lock, Duration waited) {
        locks.acquired(lock, waited);
    }

    /**
     * Records how long a lock was held.
     *
     * @param lock the lock's name (a tag only with {@link EtcdMetricsBuilder#lockTag})
     * @param held how long it was held
     */
    @Override
    public void lockReleased(String lock, Duration held) {
        locks.released(lock, held);
    }

    /**
     * Counts a queue wake-up.
     *
     * @param queue the lock's or election's name (a tag only with {@link EtcdMetricsBuilder#lockTag})
     */
    @Override
    public void queueWaiterWoken(String queue) {
        locks.woken(queue);
    }

    /**
     * Sets the election's leader gauge and counts the change.
     *
     * @param election the election's name, the {@code election} tag
     * @param leader whether this process now leads
     */
    @Override
    public void leadershipChanged(String election, boolean leader) {
        elections.changed(election, leader);
    }

    /**
     * Registers the cache's size and connected gauges.
     *
     * @param cache the cache's prefix or key, the {@code cache} tag
     * @param size read by the size gauge until the cache closes
     */
    @Override
    public void cacheOpened(String cache, IntSupplier size) {
        caches.opened(cache, size);
    }

    /**
     * Sets the cache's connected gauge.
     *
     * @param cache the cache's prefix or key
     * @param connected whether it is connected and current
     */
    @Override
    public void cacheConnectionChanged(String cache, boolean connected) {
        caches.connectionChanged(cache, connected);
    }

    /**
     * Removes the cache's gauges (when no other open cache has its name).
     *
     * @param cache the cache's prefix or key
     */
    @Override
    public void cacheClosed(String cache) {
        caches.closed(cache);
    }

    /**
     * Sets the service's instances gauge.
     *
     * @param service the service's name, the {@code service} tag
     * @param instances how many instances are registered
     */
    @Override
    public void registryChanged(String service, int instances) {
        services.changed(service, instances);
    }
}
