package io.etcdkit.spring.config;

import io.etcdkit.spring.EtcdProperties;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.config.ConfigDataLocation;
import org.springframework.boot.context.config.ConfigDataLocationResolver;
import org.springframework.boot.context.config.ConfigDataLocationResolverContext;
import org.springframework.boot.context.config.Profiles;
import org.springframework.boot.context.properties.bind.Binder;

/**
 * Resolves {@code etcd:} (and {@code optional:etcd:}) into the contexts to load, in ascending precedence:
 * {@code <prefix><default-context>/}, {@code <prefix><name>/}, then {@code <prefix><name>,<profile>/} for each
 * active profile (a later profile wins). Registered in {@code META-INF/spring.factories}.
 */
public class EtcdConfigDataLocationResolver implements ConfigDataLocationResolver<EtcdConfigDataResource> {
    /** The location prefix. */
    public static final String PREFIX = "etcd:";

    /** Creates the resolver; used by Boot. */
    public EtcdConfigDataLocationResolver() {
    }

    @Override
    public boolean isResolvable(ConfigDataLocationResolverContext context, ConfigDataLocation location) {
        return location.hasPrefix(PREFIX)
                && context.getBinder().bind(EtcdConfigProperties.PREFIX + ".enabled", Boolean.class).orElse(true);
    }

    @Override
    public List<EtcdConfigDataResource> resolve(ConfigDataLocationResolverContext context,
            ConfigDataLocation location) {
        return List.of();
    }

    @Override
    public List<EtcdConfigDataResource> resolveProfileSpecific(ConfigDataLocationResolverContext context,
            ConfigDataLocation location, Profiles profiles) {
        Binder binder = context.getBinder();
        EtcdProperties connection = binder.bind(EtcdProperties.PREFIX, EtcdProperties.class)
                .orElseGet(EtcdProperties::new);
        EtcdConfigProperties config = binder.bind(EtcdConfigProperties.PREFIX, EtcdConfigProperties.class)
                .orElseGet(EtcdConfigProperties::new);
        String name = config.getName() != null ? config.getName()
                : binder.bind("spring.application.name", String.class).orElse(config.getDefaultContext());

        ConfigurableBootstrapContext bootstrap = context.getBootstrapContext();
        bootstrap.registerIfAbsent(ConfigReader.class, InstanceSupplier.from(() -> new ConfigReader(connection,
                config)));
        bootstrap.registerIfAbsent(EtcdConfigContexts.class, InstanceSupplier.from(EtcdConfigContexts::new));
        if (!bootstrap.isRegistered(Promoted.class)) {
            bootstrap.register(Promoted.class, InstanceSupplier.of(new Promoted()));
            bootstrap.addCloseListener(event -> {
                event.getBootstrapContext().get(ConfigReader.class).close();
                var app = event.getApplicationContext();
                if (!app.containsBean("etcdConfigContexts")) {
                    app.getBeanFactory().registerSingleton("etcdConfigContexts",
                            event.getBootstrapContext().get(EtcdConfigContexts.class));
                }
            });
        }

        String prefix = config.getPrefix() == null ? "" : config.getPrefix();
        boolean optional = location.isOptional();
        List<EtcdConfigDataResource> resources = new ArrayList<>();
        resources.add(new EtcdConfigDataResource(prefix + config.getDefaultContext() + "/", null, optional));
        if (!name.equals(config.getDefaultContext())) {
            resources.add(new EtcdConfigDataResource(prefix + name + "/", null, optional));
        }
        for (String profile : profiles.getAccepted()) {
            resources.add(new EtcdConfigDataResource(prefix + name + config.getProfileSeparator() + profile + "/",
                    profile, optional));
        }
        return resources;
    }

    /** Marks that the close listener has been added to a bootstrap context. */
    private static final class Promoted {
    }
}
