package io.etcdkit.spring;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdClientBuilder;
import io.etcdkit.observe.EtcdListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures one {@link EtcdClient} from {@code etcdkit.*} ({@link EtcdProperties}), closed when the context
 * closes. Every {@link EtcdListener} bean (metrics, for instance) is added to the client in bean order. Backs off
 * when the application defines its own {@code EtcdClient} bean.
 */
@AutoConfiguration
@EnableConfigurationProperties(EtcdProperties.class)
public class EtcdClientAutoConfiguration {

    /** Creates the configuration; used by Spring. */
    public EtcdClientAutoConfiguration() {
    }

    /**
     * The application's client.
     *
     * @param properties the {@code etcdkit.*} settings
     * @param listeners the listener beans, in order
     * @return a client; connections open lazily, so this does not fail when etcd is down
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public EtcdClient etcdClient(EtcdProperties properties, ObjectProvider<EtcdListener> listeners) {
        EtcdClientBuilder builder = properties.toClientBuilder();
        listeners.orderedStream().forEach(builder::listener);
        return builder.build();
    }
}
