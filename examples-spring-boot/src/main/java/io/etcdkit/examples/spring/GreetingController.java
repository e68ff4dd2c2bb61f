package io.etcdkit.examples.spring;

import io.etcdkit.spring.config.EtcdConfigChangedEvent;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.DiscoveryClient;
import org.springframework.context.event.EventListener;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /greeting} shows the live value; {@code GET /instances/{service}} what discovery finds. */
@RestController
public class GreetingController {
    private static final Logger LOG = LoggerFactory.getLogger(GreetingController.class);

    private final GreetingProperties greeting;
    private final DiscoveryClient discovery;

    GreetingController(GreetingProperties greeting, DiscoveryClient discovery) {
        this.greeting = greeting;
        this.discovery = discovery;
    }

    @GetMapping("/greeting")
    Map<String, String> greeting() {
        return Map.of("message", greeting.getMessage());
    }

    @GetMapping("/instances/{service}")
    List<String> instances(@PathVariable("service") String service) {
        return discovery.getInstances(service).stream().map(ServiceInstance::getUri).map(Object::toString).toList();
    }

    @EventListener
    void changed(EtcdConfigChangedEvent event) {
        LOG.info("configuration changed in etcd: {}; greeting.message is now '{}'", event.getKeys(),
                greeting.getMessage());
    }
}
