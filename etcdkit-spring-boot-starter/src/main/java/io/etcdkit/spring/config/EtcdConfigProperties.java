package io.etcdkit.spring.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code etcdkit.config.*} settings of {@code spring.config.import=etcd:}. They are read before the
 * application context exists, so set them in {@code application.properties}/{@code .yaml}, system properties or
 * the environment, not in etcd itself. Mutable bean for binding; not thread-safe.
 */
@ConfigurationProperties(prefix = EtcdConfigProperties.PREFIX)
public class EtcdConfigProperties {
    /** The prefix of these properties. */
    public static final String PREFIX = "etcdkit.config";

    /** Whether etcd: imports are resolved at all. */
    private boolean enabled = true;
    /** The key prefix the configuration contexts live under. */
    private String prefix = "config/";
    /** The context shared by every application. */
    private String defaultContext = "application";
    /** The application's context name (default: spring.application.name, else "application"). */
    private String name;
    /** What separates the application name from the profile in a profile context ("myapp,dev"). */
    private String profileSeparator = ",";
    /** How long start-up waits for etcd before failing (or, with optional:etcd:, going on without it). */
    private Duration failFastTimeout = Duration.ofSeconds(5);

    /** @return whether etcd: imports are resolved */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether etcd: imports are resolved */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the key prefix of the contexts, ending in "/" */
    public String getPrefix() {
        return prefix;
    }

    /** @param prefix the key prefix of the contexts; a missing trailing "/" is added */
    public void setPrefix(String prefix) {
        this.prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** @return the shared context's name */
    public String getDefaultContext() {
        return defaultContext;
    }

    /** @param defaultContext the shared context's name */
    public void setDefaultContext(String defaultContext) {
        this.defaultContext = defaultContext;
    }

    /** @return the application's context name, or null for spring.application.name */
    public String getName() {
        return name;
    }

    /** @param name the application's context name */
    public void setName(String name) {
        this.name = name;
    }

    /** @return the name/profile separator */
    public String getProfileSeparator() {
        return profileSeparator;
    }

    /** @param profileSeparator the name/profile separator */
    public void setProfileSeparator(String profileSeparator) {
        this.profileSeparator = profileSeparator;
    }

    /** @return how long start-up waits for etcd */
    public Duration getFailFastTimeout() {
        return failFastTimeout;
    }

    /** @param failFastTimeout how long start-up waits for etcd */
    public void setFailFastTimeout(Duration failFastTimeout) {
        this.failFastTimeout = failFastTimeout;
    }
}
