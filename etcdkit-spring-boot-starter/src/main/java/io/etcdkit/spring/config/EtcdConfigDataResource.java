package io.etcdkit.spring.config;

import java.util.Objects;
import org.springframework.boot.context.config.ConfigDataResource;

/**
 * One configuration context to load, e.g. {@code config/myapp,dev/}. Immutable.
 */
public final class EtcdConfigDataResource extends ConfigDataResource {
    private final String context;
    private final String profile;
    private final boolean optional;

    /**
     * Creates a resource.
     *
     * @param context the context's key prefix, ending in "/"
     * @param profile the profile it belongs to, or null for a context of every profile
     * @param optional whether it came from {@code optional:etcd:}
     */
    public EtcdConfigDataResource(String context, String profile, boolean optional) {
        super(optional);
        this.context = Objects.requireNonNull(context, "context");
        this.profile = profile;
        this.optional = optional;
    }

    /** @return the context's key prefix */
    public String context() {
        return context;
    }

    /** @return the profile, or null */
    public String profile() {
        return profile;
    }

    /** @return whether etcd may be missing at start-up */
    public boolean optional() {
        return optional;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EtcdConfigDataResource other && context.equals(other.context)
                && Objects.equals(profile, other.profile) && optional == other.optional;
    }

    @Override
    public int hashCode() {
        return Objects.hash(context, profile, optional);
    }

    @Override
    public String toString() {
        return "etcd:" + context;
    }
}
