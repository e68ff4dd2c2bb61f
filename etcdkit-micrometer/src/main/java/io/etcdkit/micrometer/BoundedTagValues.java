package io.etcdkit.micrometer;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns names that may be data (lock names) into tag values through the user's function, with at most
 * {@code limit} distinct values: past that, new values become {@value #OTHER}, and a warning is logged once.
 */
final class BoundedTagValues {
    static final String OTHER = "other";
    private static final Logger LOG = LoggerFactory.getLogger(BoundedTagValues.class);

    private final Function<String, String> toValue;
    private final int limit;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean warned = new AtomicBoolean();

    BoundedTagValues(Function<String, String> toValue, int limit) {
        this.toValue = Objects.requireNonNull(toValue, "toValue");
        this.limit = limit;
    }

    String valueOf(String name) {
        String value = toValue.apply(name);
        if (value == null || value.isEmpty()) {
            return OTHER;
        }
        if (seen.contains(value)) {
            return value;
        }
        synchronized (seen) {
            if (seen.size() < limit) {
                seen.add(value);
                return value;
            }
        }
        if (warned.compareAndSet(false, true)) {
            LOG.warn("etcdkit metrics: the lock tag function returned more than {} distinct values; further "
                    + "values (first: '{}') are tagged '{}'. Map lock names to fewer values.", limit, value, OTHER);
        }
        return OTHER;
    }
}
