package io.etcdkit.spring.discovery;

import io.etcdkit.recipes.registry.ServiceRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code etcdkit.discovery.*} settings: where instances live in etcd, and how this application registers
 * itself. Mutable bean for binding; not thread-safe.
 */
@ConfigurationProperties(prefix = EtcdDiscoveryProperties.PREFIX)
public class EtcdDiscoveryProperties {
    /** The prefix of these properties. */
    public static final String PREFIX = "etcdkit.discovery";

    /** Whether the etcd DiscoveryClient and ServiceRegistry are configured. */
    private boolean enabled = true;
    /** The key prefix instances are registered under (one sub-prefix per service). */
    private String root = ServiceRegistry.DEFAULT_ROOT;
    /** Whether this application registers itself when its web server has started. */
    private boolean register = true;
    /** The lease time-to-live: a crashed instance disappears about this long after it stopped. */
    private Duration ttl = ServiceRegistry.DEFAULT_TTL;
    /** The name to register under (default: spring.application.name). */
    private String serviceName;
    /** This instance's id, unique within the service (default: name-host-port). */
    private String instanceId;
    /** The host others should call (default: the first non-loopback address Spring Cloud finds). */
    private String host;
    /** The port others should call (default: the web server's port). */
    private int port;
    /** Whether the instance is called over https. */
    private boolean secure;
    /** Metadata stored with the instance. */
    private Map<String, String> metadata = new LinkedHashMap<>();
    /** How long a first lookup of a service may wait for its watch to be ready. */
    private Duration lookupTimeout = Duration.ofSeconds(5);

    /** @return whether discovery is configured */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether discovery is configured */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the registry's key prefix */
    public String getRoot() {
        return root;
    }

    /** @param root the registry's key prefix */
    public void setRoot(String root) {
        this.root = root;
    }

    /** @return whether the application registers itself */
    public boolean isRegister() {
        return register;
    }

    /** @param register whether the application registers itself */
    public void setRegister(boolean register) {
        this.register = register;
    }

    /** @return the lease time-to-live */
    public Duration getTtl() {
        return ttl;
    }

    /** @param ttl the lease time-to-live */
    public void setTtl(Duration ttl) {
        this.ttl = ttl;
    }

    /** @return the service name, or null for spring.application.name */
    public String getServiceName() {
        return serviceName;
    }

    /** @param serviceName the service name */
    public void setServiceName(String serviceName) {
        this.serviceName = serviceName;
    }

    /** @return the instance id, or null for name-host-port */
    public String getInstanceId() {
        return instanceId;
    }

    /** @param instanceId the instance id */
    public void setInstanceId(String instanceId) {
        this.instanceId = instanceId;
    }

    /** @return the host, or null to detect it */
    public String getHost() {
        return host;
    }

    /** @param host the host others should call */
    public void setHost(String host) {
        this.host = host;
    }

    /** @return the port, or 0 for the web server's */
    public int getPort() {
        return port;
    }

    /** @param port the port others should call */
    public void setPort(int port) {
        this.port = port;
    }

    /** @return whether the instance is called over https */
    public boolean isSecure() {
        return secure;
    }

    /** @param secure whether the instance is called over https */
    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    /** @return the metadata */
    public Map<String, String> getMetadata() {
        return metadata;
    }

    /** @param metadata the metadata */
    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata == null ? new LinkedHashMap<>() : metadata;
    }

    /** @return how long a first lookup may wait */
    public Duration getLookupTimeout() {
        return lookupTimeout;
    }

    /** @param lookupTimeout how long a first lookup may wait */
    public void setLookupTimeout(Duration lookupTimeout) {
        this.lookupTimeout = lookupTimeout;
    }
}
