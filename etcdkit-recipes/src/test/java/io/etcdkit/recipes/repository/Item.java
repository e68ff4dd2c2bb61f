package io.etcdkit.recipes.repository;

import io.etcdkit.EtcdClient;
import java.util.Map;

/** The resource type of the repository tests: a name, a counter and labels (as a Kubernetes object has). */
record Item(String name, long count, Map<String, String> labels) {
    Item {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    static Item named(String name) {
        return new Item(name, 0, Map.of());
    }

    static Item labelled(String name, Map<String, String> labels) {
        return new Item(name, 0, labels);
    }

    Item plusOne() {
        return new Item(name, count + 1, labels);
    }

    Item withName(String newName) {
        return new Item(newName, count, labels);
    }

    /** A builder of a repository of items whose labels come from {@link #labels()}. */
    static RepositoryBuilder<Item> repository(EtcdClient client, String prefix) {
        return Repository.builder(client, prefix, Item.class).labels(Item::labels);
    }
}
