package io.etcdkit.spring.discovery;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.serviceregistry.Registration;

/**
 * This application as Spring Cloud sees it: what {@link EtcdServiceRegistry} writes to etcd. The port is filled
 * in when the web server has started. Thread-safe for reads once registered.
 */
public class EtcdServiceRegistration implements Registration {
    private final String serviceId;
    private volatile String instanceId;
    private final String host;
    private volatile int port;
    private final boolean secure;
    private final Map<String, String> metadata;

    /**
     * Creates a registration.
     *
     * @param serviceId the service name
     * @param instanceId the instance id, or null to derive name-host-port when the port is known
     * @param host the host others should call
     * @param port the port, or 0 until the web server is up
     * @param secure whether the instance is called over https
     * @param metadata metadata stored with the instance (copied)
     */
    public EtcdServiceRegistration(String serviceId, String instanceId, String host, int port, boolean secure,
            Map<String, String> metadata) {
        this.serviceId = serviceId;
        this.instanceId = instanceId;
        this.host = host;
        this.port = port;
        this.secure = secure;
        this.metadata = new LinkedHashMap<>(metadata);
    }

    @Override
    public String getInstanceId() {
        String id = instanceId;
        return id != null ? id : serviceId + "-" + host + "-" + port;
    }

    @Override
    public String getServiceId() {
        return serviceId;
    }

    @Override
    public String getHost() {
        return host;
    }

    @Override
    public int getPort() {
        return port;
    }

    /** @param port the port others should call */
    public void setPort(int port) {
        this.port = port;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public URI getUri() {
        return ServiceInstance.createUri(this);
    }

    @Override
    public Map<String, String> getMetadata() {
        return metadata;
    }

    @Override
    public String toString() {
        return serviceId + "/" + getInstanceId() + " at " + host + ":" + port;
    }
}
