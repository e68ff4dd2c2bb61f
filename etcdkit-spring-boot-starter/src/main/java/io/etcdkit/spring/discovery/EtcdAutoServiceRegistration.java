package io.etcdkit.spring.discovery;

import java.util.List;
import org.springframework.cloud.client.serviceregistry.AbstractAutoServiceRegistration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;

/**
 * Registers the application in etcd when its web server has started (with the server's port unless
 * {@code etcdkit.discovery.port} is set) and deregisters it — the entry disappears at once — when the context
 * stops, before the client is closed.
 */
public class EtcdAutoServiceRegistration extends AbstractAutoServiceRegistration<EtcdServiceRegistration> {
    private final EtcdServiceRegistration registration;
    private final EtcdDiscoveryProperties properties;

    /**
     * Creates the auto-registration.
     *
     * @param context the application context
     * @param registry the registry
     * @param autoProperties Spring Cloud's auto-registration settings
     * @param registration this application
     * @param properties the {@code etcdkit.discovery.*} settings
     */
    public EtcdAutoServiceRegistration(ApplicationContext context, EtcdServiceRegistry registry,
            AutoServiceRegistrationProperties autoProperties, EtcdServiceRegistration registration,
            EtcdDiscoveryProperties properties) {
        super(context, registry, autoProperties, List.of());
        this.registration = registration;
        this.properties = properties;
    }

    /**
     * Takes the application's web server's port (not the management server's; unless {@code etcdkit.discovery.port} is set), then registers.
     *
     * @param event the web server has started
     */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        boolean management = "management".equals(event.getApplicationContext().getServerNamespace());
        if (registration.getPort() == 0 && !management) {
            registration.setPort(event.getWebServer().getPort());
        }
        super.onApplicationEvent(event);
    }

    @Override
    protected EtcdServiceRegistration getRegistration() {
        return registration;
    }

    @Override
    protected EtcdServiceRegistration getManagementRegistration() {
        return null;
    }

    @Override
    @SuppressWarnings("deprecation") // abstract in Spring Cloud 2025.1 though deprecated; nothing calls it
    protected Object getConfiguration() {
        return properties;
    }

    @Override
    protected boolean isEnabled() {
        return properties.isRegister();
    }
}
