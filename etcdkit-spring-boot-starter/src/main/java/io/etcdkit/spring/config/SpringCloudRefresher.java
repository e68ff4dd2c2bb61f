package io.etcdkit.spring.config;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.cloud.context.scope.refresh.RefreshScope;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;

/**
 * With spring-cloud-context present, turns each {@link EtcdConfigChangedEvent} into what a {@code /refresh} would
 * do after reloading the environment — without reloading it, since the watcher has already updated it: an
 * {@link EnvironmentChangeEvent} (which rebinds {@code @ConfigurationProperties} beans and logging levels), then
 * a refresh of every {@code @RefreshScope} bean.
 */
public class SpringCloudRefresher implements ApplicationListener<EtcdConfigChangedEvent> {
    private final ApplicationContext context;
    private final ObjectProvider<RefreshScope> refreshScope;

    /**
     * Creates the refresher.
     *
     * @param context the application context (the source Spring Cloud's rebinder expects)
     * @param refreshScope the refresh scope, when Spring Cloud defines one
     */
    public SpringCloudRefresher(ApplicationContext context, ObjectProvider<RefreshScope> refreshScope) {
        this.context = context;
        this.refreshScope = refreshScope;
    }

    @Override
    public void onApplicationEvent(EtcdConfigChangedEvent event) {
        context.publishEvent(new EnvironmentChangeEvent(context, event.getKeys()));
        refreshScope.ifAvailable(RefreshScope::refreshAll);
    }
}
