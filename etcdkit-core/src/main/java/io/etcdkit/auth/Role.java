package io.etcdkit.auth;

import java.util.List;
import java.util.Objects;

/**
 * A role and the permissions granted to it. Immutable. The role {@code root} has every permission without
 * listing any.
 *
 * @param name the role name
 * @param permissions its key permissions
 */
public record Role(String name, List<Permission> permissions) {
    /**
     * Copies the list.
     *
     * @param name the name
     * @param permissions the permissions
     */
    public Role {
        Objects.requireNonNull(name, "name");
        permissions = List.copyOf(permissions);
    }
}
