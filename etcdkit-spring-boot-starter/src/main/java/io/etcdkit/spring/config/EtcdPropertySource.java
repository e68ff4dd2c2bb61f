package io.etcdkit.spring.config;

import java.util.Map;
import org.springframework.core.env.EnumerablePropertySource;

/**
 * The properties of one configuration context (e.g. {@code config/myapp,dev/}), replaced as a whole when its keys
 * change in etcd. Reads are lock-free and see one consistent version. Its name is {@code etcd:} plus the context's
 * key prefix.
 */
public final class EtcdPropertySource extends EnumerablePropertySource<String> {
    private volatile Snapshot snapshot;

    private record Snapshot(Map<String, Object> properties, String[] names) {
    }

    /**
     * Creates a source.
     *
     * @param context the context's key prefix, e.g. {@code config/myapp/}
     * @param properties the initial properties (copied)
     */
    public EtcdPropertySource(String context, Map<String, Object> properties) {
        super(nameOf(context), context);
        replace(properties);
    }

    /**
     * The name of the source of a context.
     *
     * @param context the context's key prefix
     * @return {@code etcd:} plus the prefix
     */
    public static String nameOf(String context) {
        return "etcd:" + context;
    }

    /**
     * Replaces every property at once.
     *
     * @param properties the new properties (copied)
     */
    public void replace(Map<String, Object> properties) {
        Map<String, Object> copy = Map.copyOf(properties);
        snapshot = new Snapshot(copy, copy.keySet().stream().sorted().toArray(String[]::new));
    }

    /** @return the current properties (immutable) */
    public Map<String, Object> properties() {
        return snapshot.properties();
    }

    /** The names, sorted; the same array until the properties change (Boot's binder caches by it). */
    @Override
    public String[] getPropertyNames() {
        return snapshot.names();
    }

    @Override
    public Object getProperty(String name) {
        return snapshot.properties().get(name);
    }

    @Override
    public boolean containsProperty(String name) {
        return snapshot.properties().containsKey(name);
    }
}
