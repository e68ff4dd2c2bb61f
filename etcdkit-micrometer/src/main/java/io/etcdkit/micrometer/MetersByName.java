package io.etcdkit.micrometer;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Meters (or gauge states) keyed by a name from the listener (a member, an election, a cache), each made on the
 * name's first event and then reused.
 *
 * @param <M> the meter or state
 */
final class MetersByName<M> {
    private final ConcurrentHashMap<String, M> meters = new ConcurrentHashMap<>();
    private final Function<String, M> make;

    MetersByName(Function<String, M> make) {
        this.make = make;
    }

    M get(String name) {
        M m = meters.get(name);
        return m != null ? m : meters.computeIfAbsent(name, make);
    }

    M remove(String name) {
        return meters.remove(name);
    }
}
