package io.etcdkit.spring.config;

import io.etcdkit.EtcdClient;
import io.etcdkit.spring.EtcdClientAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Live configuration: when {@code spring.config.import=etcd:} imported contexts, an {@link EtcdConfigWatcher}
 * keeps them up to date, and with spring-cloud-context a {@link SpringCloudRefresher} refreshes beans.
 */
@AutoConfiguration(after = EtcdClientAutoConfiguration.class)
@ConditionalOnBean(EtcdConfigContexts.class)
@EnableConfigurationProperties(EtcdConfigProperties.class)
public class EtcdConfigAutoConfiguration {

    /** Creates the configuration; used by Spring. */
    public EtcdConfigAutoConfiguration() {
    }

    /**
     * The watcher of the imported contexts.
     *
     * @param client the application's client
     * @param environment the environment
     * @param publisher the event publisher
     * @param contexts the imported contexts
     * @return the watcher (started with the context)
     */
    @Bean
    @ConditionalOnMissingBean
    public EtcdConfigWatcher etcdConfigWatcher(EtcdClient client, ConfigurableEnvironment environment,
            ApplicationEventPublisher publisher, EtcdConfigContexts contexts) {
        return new EtcdConfigWatcher(client, environment, publisher, contexts);
    }

    /** Spring Cloud's refresh events, when spring-cloud-context is present. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
    static class SpringCloudRefresh {
        @Bean
        SpringCloudRefresher etcdSpringCloudRefresher(ApplicationContext context,
                ObjectProvider<RefreshScope> refreshScope) {
            return new SpringCloudRefresher(context, refreshScope);
        }
    }
}
