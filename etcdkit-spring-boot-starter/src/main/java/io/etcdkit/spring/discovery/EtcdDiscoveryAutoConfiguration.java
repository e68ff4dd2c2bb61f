package io.etcdkit.spring.discovery;

import io.etcdkit.EtcdClient;
import io.etcdkit.recipes.registry.ServiceRegistry;
import io.etcdkit.spring.EtcdClientAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationAutoConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationConfiguration;
import org.springframework.cloud.client.serviceregistry.AutoServiceRegistrationProperties;
import org.springframework.cloud.commons.util.InetUtils;
import org.springframework.cloud.commons.util.UtilAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Discovery and registration on etcdkit's registry ({@code etcdkit.discovery.enabled}, on by default): an
 * {@link EtcdDiscoveryClient}, an {@link EtcdServiceRegistry} and, when Spring Cloud's auto-registration is on and
 * {@code etcdkit.discovery.register} is true, the registration of this application at start-up.
 */
@AutoConfiguration(after = {EtcdClientAutoConfiguration.class, UtilAutoConfiguration.class,
        AutoServiceRegistrationAutoConfiguration.class, AutoServiceRegistrationConfiguration.class})
@ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX, name = "enabled", matchIfMissing = true)
@ConditionalOnBean(EtcdClient.class)
@EnableConfigurationProperties(EtcdDiscoveryProperties.class)
public class EtcdDiscoveryAutoConfiguration {

    /** Creates the configuration; used by Spring. */
    public EtcdDiscoveryAutoConfiguration() {
    }

    /**
     * etcdkit's registry under {@code etcdkit.discovery.root}.
     *
     * @param client the application's client
     * @param properties the discovery settings
     * @return the registry
     */
    @Bean
    @ConditionalOnMissingBean
    public ServiceRegistry etcdServiceRegistryRecipe(EtcdClient client, EtcdDiscoveryProperties properties) {
        return ServiceRegistry.of(client, properties.getRoot());
    }

    /**
     * The discovery client.
     *
     * @param registry etcdkit's registry
     * @param properties the discovery settings
     * @return the client (closed with the context)
     */
    @Bean
    @ConditionalOnMissingBean
    public EtcdDiscoveryClient etcdDiscoveryClient(ServiceRegistry registry, EtcdDiscoveryProperties properties) {
        return new EtcdDiscoveryClient(registry, properties.getLookupTimeout());
    }

    /**
     * Spring Cloud's service registry.
     *
     * @param registry etcdkit's registry
     * @param properties the discovery settings
     * @return the registry (its registrations are closed with the context)
     */
    @Bean
    @ConditionalOnMissingBean
    public EtcdServiceRegistry etcdServiceRegistry(ServiceRegistry registry, EtcdDiscoveryProperties properties) {
        return new EtcdServiceRegistry(registry, properties.getTtl());
    }

    /**
     * This application, as it registers itself.
     *
     * @param properties the discovery settings
     * @param environment for spring.application.name
     * @param inet Spring Cloud's host detection
     * @return the registration (port filled in when the web server starts)
     */
    @Bean
    @ConditionalOnMissingBean
    public EtcdServiceRegistration etcdServiceRegistration(EtcdDiscoveryProperties properties,
            Environment environment, InetUtils inet) {
        String name = properties.getServiceName() != null ? properties.getServiceName()
                : environment.getProperty("spring.application.name", "application");
        String host = properties.getHost() != null ? properties.getHost()
                : inet.findFirstNonLoopbackHostInfo().getIpAddress();
        return new EtcdServiceRegistration(name, properties.getInstanceId(), host, properties.getPort(),
                properties.isSecure(), properties.getMetadata());
    }

    /**
     * Registers the application at start-up.
     *
     * @param context the application context
     * @param registry the service registry
     * @param autoProperties Spring Cloud's auto-registration settings
     * @param registration this application
     * @param properties the discovery settings
     * @return the auto-registration
     */
    @Bean
    @ConditionalOnBean(AutoServiceRegistrationProperties.class)
    @ConditionalOnProperty(prefix = EtcdDiscoveryProperties.PREFIX, name = "register", matchIfMissing = true)
    public EtcdAutoServiceRegistration etcdAutoServiceRegistration(ApplicationContext context,
            EtcdServiceRegistry registry, AutoServiceRegistrationProperties autoProperties,
            EtcdServiceRegistration registration, EtcdDiscoveryProperties properties) {
        return new EtcdAutoServiceRegistration(context, registry, autoProperties, registration, properties);
    }
}
