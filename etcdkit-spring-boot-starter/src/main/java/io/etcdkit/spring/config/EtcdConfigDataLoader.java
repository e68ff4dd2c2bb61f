package io.etcdkit.spring.config;

import io.etcdkit.KeyValue;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.config.ConfigData;
import org.springframework.boot.context.config.ConfigData.Option;
import org.springframework.boot.context.config.ConfigDataLoader;
import org.springframework.boot.context.config.ConfigDataLoaderContext;

/**
 * Loads one context's keys into an {@link EtcdPropertySource} (see {@link ConfigContext} for how keys become
 * properties). An unreachable etcd fails start-up with {@link EtcdConfigUnavailableException}, or for
 * {@code optional:etcd:} yields an empty source that the watcher fills once etcd is back. Registered in
 * {@code META-INF/spring.factories}.
 */
public class EtcdConfigDataLoader implements ConfigDataLoader<EtcdConfigDataResource> {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdConfigDataLoader.class);

    /** Creates the loader; used by Boot. */
    public EtcdConfigDataLoader() {
    }

    @Override
    public ConfigData load(ConfigDataLoaderContext context, EtcdConfigDataResource resource) {
        ConfigReader reader = context.getBootstrapContext().get(ConfigReader.class);
        context.getBootstrapContext().get(EtcdConfigContexts.class).add(resource.context());
        List<KeyValue> kvs = reader.read(resource.context(), resource.optional());
        ConfigContext contents = new ConfigContext(resource.context());
        if (kvs != null) {
            int skip = resource.context().length();
            for (KeyValue kv : kvs) {
                contents.put(kv.keyAsString().substring(skip), kv.valueAsString());
            }
        }
        Map<String, Object> properties = contents.properties((key, reason) -> LOG.warn(
                "etcd configuration document {} does not parse and is ignored: {}", key, reason));
        EtcdPropertySource source = new EtcdPropertySource(resource.context(), properties);
        return resource.profile() == null
                ? new ConfigData(List.of(source), Option.IGNORE_IMPORTS, Option.IGNORE_PROFILES)
                : new ConfigData(List.of(source), Option.IGNORE_IMPORTS, Option.IGNORE_PROFILES,
                        Option.PROFILE_SPECIFIC);
    }
}
