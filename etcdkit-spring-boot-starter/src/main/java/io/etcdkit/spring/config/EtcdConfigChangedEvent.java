package io.etcdkit.spring.config;

import java.util.Set;
import org.springframework.context.ApplicationEvent;

/**
 * Properties from etcd changed and the {@code Environment} already shows the new values. Published on the
 * watcher's thread for every change, with or without Spring Cloud; when spring-cloud-context is present the
 * starter also publishes its {@code EnvironmentChangeEvent} and refreshes {@code @RefreshScope} beans.
 */
public class EtcdConfigChangedEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;
    private final transient Set<String> keys;

    /**
     * Creates the event.
     *
     * @param source the watcher
     * @param keys the names of the properties added, changed or removed
     */
    public EtcdConfigChangedEvent(Object source, Set<String> keys) {
        super(source);
        this.keys = Set.copyOf(keys);
    }

    /** @return the names of the properties added, changed or removed */
    public Set<String> getKeys() {
        return keys;
    }
}
