package io.etcdkit.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * A Spring Boot service on etcd: {@code greeting.message} comes from etcd ({@code config/etcdkit-example/...}) and
 * changes live, the service registers itself under {@code services/etcdkit-example/}, and the actuator exposes
 * {@code /actuator/health} (with the etcd indicator) and {@code /actuator/prometheus}. Without
 * {@code ETCD_ENDPOINTS} or {@code --etcdkit.endpoints} it starts a throwaway local etcd member first.
 */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(GreetingProperties.class)
public class SpringBootExample {

    /**
     * Runs the service.
     *
     * @param args Spring Boot arguments, e.g. {@code --server.port=8081 --etcdkit.endpoints=http://host:2379}
     */
    public static void main(String[] args) {
        ThrowawayEtcd etcd = ThrowawayEtcd.startUnlessConfigured(args);
        if (etcd == null) {
            SpringApplication.run(SpringBootExample.class, args);
            return;
        }
        try {
            etcd.closeAfter(SpringApplication.run(SpringBootExample.class, args));
        } catch (RuntimeException e) {
            etcd.close();
            throw e;
        }
    }
}
