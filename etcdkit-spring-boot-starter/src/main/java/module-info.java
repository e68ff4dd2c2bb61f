/**
 * etcdkit's Spring Boot starter: the auto-configured {@code EtcdClient}, {@code spring.config.import=etcd:} with
 * changes pushed by watch, Spring Cloud discovery and registration on etcdkit's registry, the {@code etcd} health
 * indicator and Micrometer metrics.
 *
 * <p>Spring reads the auto-configurations and properties reflectively, so their packages are opened to it.
 */
module io.etcdkit.spring {
    requires transitive io.etcdkit;
    requires transitive io.etcdkit.recipes;
    requires static io.etcdkit.micrometer;
    requires static micrometer.core;
    requires static micrometer.observation;
    requires transitive spring.boot;
    requires transitive spring.boot.autoconfigure;
    requires transitive spring.context;
    requires transitive spring.core;
    requires transitive spring.beans;
    requires transitive spring.cloud.commons;
    requires static spring.cloud.context;
    requires static spring.boot.health;
    requires static spring.boot.web.server;
    requires org.slf4j;

    exports io.etcdkit.spring;
    exports io.etcdkit.spring.config;
    exports io.etcdkit.spring.discovery;
    exports io.etcdkit.spring.health;
    exports io.etcdkit.spring.metrics;

    opens io.etcdkit.spring to spring.core, spring.beans, spring.context;
    opens io.etcdkit.spring.config to spring.core, spring.beans, spring.context;
    opens io.etcdkit.spring.discovery to spring.core, spring.beans, spring.context;
    opens io.etcdkit.spring.health to spring.core, spring.beans, spring.context;
    opens io.etcdkit.spring.metrics to spring.core, spring.beans, spring.context;
}
