package io.etcdkit.spring.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The configuration contexts {@code spring.config.import=etcd:} loaded at start-up, in ascending precedence. The
 * importer hands it to the application context (as a bean) so that the watcher keeps exactly those contexts up to
 * date. Thread-safe.
 */
public final class EtcdConfigContexts {
    private final List<String> contexts = new ArrayList<>();

    /** Creates an empty list. */
    public EtcdConfigContexts() {
    }

    /**
     * Adds a context unless it is already there.
     *
     * @param context the context's key prefix
     */
    public synchronized void add(String context) {
        if (!contexts.contains(context)) {
            contexts.add(context);
        }
    }

    /** @return the contexts, in ascending precedence */
    public synchronized List<String> contexts() {
        return List.copyOf(contexts);
    }

    @Override
    public synchronized String toString() {
        return "EtcdConfigContexts" + contexts;
    }
}
