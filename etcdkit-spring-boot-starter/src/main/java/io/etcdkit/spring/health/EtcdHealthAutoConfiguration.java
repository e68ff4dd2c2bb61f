package io.etcdkit.spring.health;

import io.etcdkit.EtcdClient;
import io.etcdkit.spring.EtcdClientAutoConfiguration;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code etcd} health indicator, when Boot's health support (spring-boot-health, brought by the actuator) is
 * present and {@code management.health.etcd.enabled} is not false. {@code etcdkit.health.timeout} bounds a check
 * (2 s by default).
 */
@AutoConfiguration(after = EtcdClientAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(EtcdClient.class)
@ConditionalOnProperty(prefix = "management.health.etcd", name = "enabled", matchIfMissing = true)
public class EtcdHealthAutoConfiguration {

    /** Creates the configuration; used by Spring. */
    public EtcdHealthAutoConfiguration() {
    }

    /**
     * The indicator, named {@code etcd} in {@code /actuator/health}.
     *
     * @param client the application's client
     * @param environment for {@code etcdkit.health.timeout}
     * @return the indicator
     */
    @Bean(name = "etcdHealthIndicator")
    @ConditionalOnMissingBean(name = "etcdHealthIndicator")
    public EtcdHealthIndicator etcdHealthIndicator(EtcdClient client, Environment environment) {
        return new EtcdHealthIndicator(client,
                environment.getProperty("etcdkit.health.timeout", Duration.class, Duration.ofSeconds(2)));
    }
}
