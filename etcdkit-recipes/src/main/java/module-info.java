/**
 * etcdkit recipes on the etcdkit client: sessions, locks, elections, counters, STM, cached views and values, the
 * service registry, the repository, the leased publisher, barriers, queues and the work queue.
 *
 * <p>{@code io.etcdkit.recipes.internal} (the shared waiting-queue engines) is not exported.
 */
module io.etcdkit.recipes {
    requires transitive io.etcdkit;
    requires io.etcdkit.jackson;
    requires java.management;
    requires org.slf4j;

    exports io.etcdkit.recipes.atomic;
    exports io.etcdkit.recipes.barrier;
    exports io.etcdkit.recipes.cache;
    exports io.etcdkit.recipes.election;
    exports io.etcdkit.recipes.lock;
    exports io.etcdkit.recipes.publish;
    exports io.etcdkit.recipes.queue;
    exports io.etcdkit.recipes.registry;
    exports io.etcdkit.recipes.repository;
    exports io.etcdkit.recipes.session;
    exports io.etcdkit.recipes.stm;
    exports io.etcdkit.recipes.workqueue;
}
