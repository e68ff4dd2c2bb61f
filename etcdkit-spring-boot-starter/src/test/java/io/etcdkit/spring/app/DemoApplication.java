package io.etcdkit.spring.app;

import io.etcdkit.spring.config.EtcdConfigChangedEvent;
import io.etcdkit.spring.config.EtcdConfigRejectedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;

/** The application the starter's tests run: config-bound beans, a refresh-scoped bean, and event collectors. */
@SpringBootApplication(proxyBeanMethods = false)
@EnableConfigurationProperties(GreetingProperties.class)
public class DemoApplication {
    /** Changes and rejections seen, for assertions. */
    public final List<EtcdConfigChangedEvent> changes = new CopyOnWriteArrayList<>();
    public final List<EtcdConfigRejectedEvent> rejections = new CopyOnWriteArrayList<>();

    @EventListener
    void onChange(EtcdConfigChangedEvent event) {
        changes.add(event);
    }

    @EventListener
    void onRejected(EtcdConfigRejectedEvent event) {
        rejections.add(event);
    }

    @Bean
    @org.springframework.cloud.context.config.annotation.RefreshScope
    RefreshedGreeting refreshedGreeting(org.springframework.core.env.Environment environment) {
        return new RefreshedGreeting(environment.getProperty("greeting.message", "none"));
    }

    /** Runs the application (the crash test's child JVM); prints READY once the web server is up. */
    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
        System.out.println("READY");
    }
}
