package io.etcdkit.auth;

import java.util.List;
import java.util.Objects;

/**
 * A user and the roles granted to it. Immutable.
 *
 * @param name the user name
 * @param roles the names of its roles, in etcd's (sorted) order
 */
public record User(String name, List<String> roles) {
    /**
     * Copies the list.
     *
     * @param name the name
     * @param roles the roles
     */
    public User {
        Objects.requireNonNull(name, "name");
        roles = List.copyOf(roles);
    }
}
