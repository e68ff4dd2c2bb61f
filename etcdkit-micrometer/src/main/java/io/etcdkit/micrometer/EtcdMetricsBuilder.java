package io.etcdkit.micrometer;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;
import java.util.function.Function;

/**
 * Configures an {@link EtcdMetrics}; from {@link EtcdMetrics#builder(io.micrometer.core.instrument.MeterRegistry)}.
 * Not thread-safe; each {@link #build()} makes an independent listener.
 */
public final class EtcdMetricsBuilder {
    /** The largest bound {@link #lockTag(Function, int)} accepts. */
    public static final int MAX_LOCK_TAG_VALUES = 1_000;

    private final MeterRegistry registry;
    private Tags tags = Tags.empty();
    private ObservationRegistry observationRegistry;
    private EtcdCallObservationConvention convention;
    private Function<String, String> lockTag;
    private int lockTagLimit;

    EtcdMetricsBuilder(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * Also observes every call with the Observation API: an {@code etcdkit.call} observation started on the
     * caller's thread (its current observation is the parent) and stopped when the call ends, with the error the
     * caller received. Without it (the default) there is no observation work at all.
     *
     * @param observationRegistry the registry; a no-op registry is the same as none
     * @return this builder
     * @throws NullPointerException if {@code observationRegistry} is {@code null}
     */
    public EtcdMetricsBuilder observationRegistry(ObservationRegistry observationRegistry) {
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
        return this;
    }

    /**
     * Names call observations and chooses their key values in place of
     * {@link DefaultEtcdCallObservationConvention} (and of a global convention registered on the observation
     * registry). Only used with {@link #observationRegistry(ObservationRegistry)}.
     *
     * @param convention the convention
     * @return this builder
     * @throws NullPointerException if {@code convention} is {@code null}
     */
    public EtcdMetricsBuilder observationConvention(EtcdCallObservationConvention convention) {
        this.convention = Objects.requireNonNull(convention, "convention");
        return this;
    }

    /**
     * Adds tags to every meter, e.g. to tell two clients apart. Keep their values few.
     *
     * @param tags the tags
     * @return this builder
     * @throws NullPointerException if {@code tags} is {@code null}
     */
    public EtcdMetricsBuilder tags(Iterable<Tag> tags) {
        this.tags = this.tags.and(Objects.requireNonNull(tags, "tags"));
        return this;
    }

    /**
     * Adds tags to every meter, given as keys and values in turn: {@code tags("client", "orders")}.
     *
     * @param keysAndValues key, value, key, value, ...
     * @return this builder
     * @throws IllegalArgumentException if the count is odd
     */
    public EtcdMetricsBuilder tags(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags(..) takes keys and values in pairs, got "
                    + keysAndValues.length + " strings; pass e.g. tags(\"client\", \"orders\")");
        }
        this.tags = this.tags.and(keysAndValues);
        return this;
    }

    /**
     * Tags the lock meters ({@code etcdkit.lock.wait}, {@code etcdkit.lock.held}: tag {@code lock};
     * {@code etcdkit.queue.wakeups}: tag {@code queue}) with a value made from the lock's name. Off by default,
     * because lock names can be data (a lock per job), and each distinct value is a time series. The function
     * should map names to a few values, e.g. {@code name -> name.substring(0, name.indexOf('/'))}; at most
     * {@code maxValues} distinct values are used, and further ones are tagged {@code other} (with one warning in
     * the log). A {@code null} or empty value is tagged {@code other}.
     *
     * @param lockNameToTagValue turns a lock's name into the tag value; called on each lock event
     * @param maxValues the bound on distinct values, 1 to {@value #MAX_LOCK_TAG_VALUES}
     * @return this builder
     * @throws IllegalArgumentException if {@code maxValues} is out of range
     */
    public EtcdMetricsBuilder lockTag(Function<String, String> lockNameToTagValue, int maxValues) {
        Objects.requireNonNull(lockNameToTagValue, "lockNameToTagValue");
        if (maxValues < 1 || maxValues > MAX_LOCK_TAG_VALUES) {
            throw new IllegalArgumentException("lockTag's maxValues must be between 1 and " + MAX_LOCK_TAG_VALUES
                    + ", got " + maxValues + ": each value is a time series per lock meter");
        }
        this.lockTag = lockNameToTagValue;
        this.lockTagLimit = maxValues;
        return this;
    }

    /**
     * Registers the meters that exist from the start (watchers, events, compactions, re-syncs, keep-alive
     * failures and, without {@link #lockTag}, the lock meters) and returns the listener; the others are registered
     * on their first event.
     *
     * @return the listener, to pass to {@code EtcdClient.builder().listener(..)}
     */
    public EtcdMetrics build() {
        return new EtcdMetrics(registry, tags, observationRegistry, convention,
                lockTag == null ? null : new BoundedTagValues(lockTag, lockTagLimit));
    }
}
