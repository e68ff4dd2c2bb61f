package io.etcdkit.recipes.registry;

import io.etcdkit.InvalidArgumentException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Picks one instance of a service per call, from a {@link ServiceWatch}'s current list (or any supplier of
 * instances), following a {@link Strategy}. Instances {@linkplain #markDown marked down} are skipped until their
 * time is up; when every instance is down (or there is none), {@link #next()} is empty — the caller decides
 * whether to wait, fail or retry. Marks are by instance id.
 *
 * <pre>{@code
 * InstanceProvider p = InstanceProvider.roundRobin(watch);
 * ServiceInstance i = p.next().orElseThrow();
 * try { call(i); } catch (IOException e) { p.markDown(i, Duration.ofSeconds(30)); }
 * }</pre>
 *
 * <p>Thread-safe and lock-free.
 */
public final class InstanceProvider {
    /** How {@link #next()} chooses among the available instances. */
    public enum Strategy {
        /** Each call takes the next available instance in id order, cycling. */
        ROUND_ROBIN,
        /** Each call takes an available instance uniformly at random. */
        RANDOM,
        /**
         * Keeps returning the same instance while it is present and not marked down; then picks a new one at
         * random and sticks to that.
         */
        STICKY
    }

    private final Supplier<List<ServiceInstance>> source;
    private final Strategy strategy;
    private final AtomicLong counter = new AtomicLong();
    private final AtomicReference<String> stuck = new AtomicReference<>();
    private final Map<String, Long> downUntil = new ConcurrentHashMap<>();

    private InstanceProvider(Supplier<List<ServiceInstance>> source, Strategy strategy) {
        this.source = source;
        this.strategy = strategy;
    }

    /**
     * A provider over {@code watch}'s current instances with {@code strategy}.
     *
     * @param watch the watch to open
     * @param strategy the strategy
     * @return a provider over {@code watch}'s current instances with {@code strategy}
     */
    public static InstanceProvider of(ServiceWatch watch, Strategy strategy) {
        Objects.requireNonNull(watch, "watch");
        return of(watch::instances, strategy);
    }

    /**
     * A provider over whatever list {@code instances} returns at each call, with {@code strategy}.
     *
     * @param instances the instances
     * @param strategy the strategy
     * @return a provider over whatever list {@code instances} returns at each call, with {@code strategy}
     */
    public static InstanceProvider of(Supplier<List<ServiceInstance>> instances, Strategy strategy) {
        Objects.requireNonNull(instances, "instances");
        Objects.requireNonNull(strategy, "strategy");
        return new InstanceProvider(instances, strategy);
    }

    /**
     * {@link Strategy#ROUND_ROBIN} over {@code watch}.
     *
     * @param watch the watch to open
     * @return as {@link Strategy#ROUND_ROBIN}
     */
    public static InstanceProvider roundRobin(ServiceWatch watch) {
        return of(watch, Strategy.ROUND_ROBIN);
    }

    /**
     * {@link Strategy#RANDOM} over {@code watch}.
     *
     * @param watch the watch to open
     * @return as {@link Strategy#RANDOM}
     */
    public static InstanceProvider random(ServiceWatch watch) {
        return of(watch, Strategy.RANDOM);
    }

    /**
     * {@link Strategy#STICKY} over {@code watch}.
     *
     * @param watch the watch to open
     * @return as {@link Strategy#STICKY}
     */
    public static InstanceProvider sticky(ServiceWatch watch) {
        return of(watch, Strategy.STICKY);
    }

    /**
     * The strategy.
     *
     * @return the strategy
     */
    public Strategy strategy() {
        return strategy;
    }

    /**
     * The next instance by the strategy, skipping those marked down; empty when none is available.
     *
     * @return the next instance by the strategy, skipping those marked down; empty when none is available
     */
    public Optional<ServiceInstance> next() {
        List<ServiceInstance> up = available();
        if (up.isEmpty()) {
            return Optional.empty();
        }
        return switch (strategy) {
            case ROUND_ROBIN -> Optional.of(up.get((int) Math.floorMod(counter.getAndIncrement(), (long) up.size())));
            case RANDOM -> Optional.of(up.get(ThreadLocalRandom.current().nextInt(up.size())));
            case STICKY -> Optional.of(sticky(up));
        };
    }

    private ServiceInstance sticky(List<ServiceInstance> up) {
        while (true) {
            String id = stuck.get();
            if (id != null) {
                for (ServiceInstance i : up) {
                    if (i.id().equals(id)) {
                        return i;
                    }
                }
            }
            ServiceInstance pick = up.get(ThreadLocalRandom.current().nextInt(up.size()));
            if (stuck.compareAndSet(id, pick.id())) {
                return pick;
            }
        }
    }

    /**
     * The instances not marked down, in the source's order.
     *
     * @return the instances not marked down, in the source's order
     */
    public List<ServiceInstance> available() {
        List<ServiceInstance> all = source.get();
        if (downUntil.isEmpty()) {
            return all;
        }
        long now = System.nanoTime();
        List<ServiceInstance> up = new ArrayList<>(all.size());
        for (ServiceInstance i : all) {
            Long until = downUntil.get(i.id());
            if (until == null) {
                up.add(i);
            } else if (until - now <= 0) {
                downUntil.remove(i.id(), until);
                up.add(i);
            }
        }
        return up;
    }

    /**
     * Skips {@code instance} (by id) for {@code duration} from now; a later mark replaces an earlier one. A sticky
     * provider stuck to it moves on at the next call.
     *
     * @param instance the instance
     * @param duration the duration
     */
    public void markDown(ServiceInstance instance, Duration duration) {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new InvalidArgumentException("a mark-down duration must not be negative, got " + duration);
        }
        downUntil.put(instance.id(), System.nanoTime() + duration.toNanos());
    }

    /**
     * Clears a mark-down of {@code instance} at once.
     *
     * @param instance the instance
     */
    public void markUp(ServiceInstance instance) {
        downUntil.remove(instance.id());
    }

    /**
     * Whether {@code instance} is marked down now.
     *
     * @param instance the instance
     * @return whether {@code instance} is marked down now
     */
    public boolean isMarkedDown(ServiceInstance instance) {
        Long until = downUntil.get(instance.id());
        return until != null && until - System.nanoTime() > 0;
    }

    @Override
    public String toString() {
        return "InstanceProvider[" + strategy + "]";
    }
}
