package io.etcdkit.auth;

import io.etcdkit.Bytes;
import io.etcdkit.internal.Futures;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Authentication and role administration: enable/disable authentication, users, roles and permissions.
 *
 * <p>Every operation has a blocking form and a {@code ...Async} form whose future completes on the client's
 * callback executor. Blocking forms throw the typed {@link io.etcdkit.EtcdException} subclasses; async forms
 * complete exceptionally with them. Every call has the view's deadline. Reads are retried on transient
 * failures. Changes that are harmless to repeat (enable, disable, change password, grant role, grant
 * permission) are retried too; the others only when they surely were not applied, otherwise they fail with
 * {@link io.etcdkit.OutcomeUnknownException}. Requests etcd refuses because of the current users, roles or auth
 * state fail with {@link AuthAdminException} naming the reason.
 *
 * <p>With authentication enabled, every operation here needs a client authenticated as a user with the role
 * {@code root} (or, with client-certificate authentication, a certificate whose common name is such a user);
 * others get {@link io.etcdkit.PermissionDeniedException}. Auth covers the whole cluster: permission keys are
 * absolute and the view's namespace does not apply. Thread-safe.
 */
public interface Auth {

    /**
     * Turns authentication on. etcd requires a user {@code root} with the role {@code root} first; otherwise this
     * fails with {@link AuthAdminException} ({@link AuthAdminException.Reason#ROOT_USER_MISSING} or
     * {@link AuthAdminException.Reason#ROOT_ROLE_MISSING}). From then on every request must be authenticated,
     * so give this client {@code credentials(..)} for a root user. Enabling it again does nothing.
     *
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> enableAsync();

    /** Blocking form of {@link #enableAsync()}. */
    default void enable() {
        Futures.await(enableAsync());
    }

    /**
     * Turns authentication off; every auth token issued so far becomes invalid. Disabling it again does nothing.
     *
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> disableAsync();

    /** Blocking form of {@link #disableAsync()}. */
    default void disable() {
        Futures.await(disableAsync());
    }

    /**
     * Creates a user with a password and no roles. Fails with {@link AuthAdminException.Reason#USER_EXISTS}.
     *
     * @param name the name
     * @param password the password
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> addUserAsync(String name, String password);

    /**
     * Blocking form of {@link #addUserAsync(String, String)}.
     *
     * @param name the name
     * @param password the password
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void addUser(String name, String password) {
        Futures.await(addUserAsync(name, password));
    }

    /**
     * Deletes a user; its tokens stop working. Fails with {@link AuthAdminException.Reason#USER_NOT_FOUND}.
     *
     * @param name the name
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> deleteUserAsync(String name);

    /**
     * Blocking form of {@link #deleteUserAsync(String)}.
     *
     * @param name the name
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void deleteUser(String name) {
        Futures.await(deleteUserAsync(name));
    }

    /**
     * Sets a user's password.
     *
     * @param name the name
     * @param password the password
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> changePasswordAsync(String name, String password);

    /**
     * Blocking form of {@link #changePasswordAsync(String, String)}.
     *
     * @param name the name
     * @param password the password
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void changePassword(String name, String password) {
        Futures.await(changePasswordAsync(name, password));
    }

    /**
     * The names of all users, sorted.
     *
     * @return the names of all users, sorted
     */
    CompletableFuture<List<String>> usersAsync();

    /**
     * Blocking form of {@link #usersAsync()}.
     *
     * @return what {@link #usersAsync()} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<String> users() {
        return Futures.await(usersAsync());
    }

    /**
     * A user and its roles. Fails with {@link AuthAdminException.Reason#USER_NOT_FOUND}.
     *
     * @param name the name
     * @return a user and its roles
     */
    CompletableFuture<User> userAsync(String name);

    /**
     * Blocking form of {@link #userAsync(String)}.
     *
     * @param name the name
     * @return what {@link #userAsync(String)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default User user(String name) {
        return Futures.await(userAsync(name));
    }

    /**
     * Grants {@code role} to {@code user}; granting a role the user has does nothing. The role must exist (except
     * {@code root}, which always may be granted).
     *
     * @param user the user name
     * @param role the role name
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> grantRoleAsync(String user, String role);

    /**
     * Blocking form of {@link #grantRoleAsync(String, String)}.
     *
     * @param user the user name
     * @param role the role name
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void grantRole(String user, String role) {
        Futures.await(grantRoleAsync(user, role));
    }

    /**
     * Takes {@code role} from {@code user}. Fails with {@link AuthAdminException.Reason#ROLE_NOT_GRANTED}.
     *
     * @param user the user name
     * @param role the role name
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> revokeRoleAsync(String user, String role);

    /**
     * Blocking form of {@link #revokeRoleAsync(String, String)}.
     *
     * @param user the user name
     * @param role the role name
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void revokeRole(String user, String role) {
        Futures.await(revokeRoleAsync(user, role));
    }

    /**
     * Creates a role without permissions. Fails with {@link AuthAdminException.Reason#ROLE_EXISTS}.
     *
     * @param name the name
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> addRoleAsync(String name);

    /**
     * Blocking form of {@link #addRoleAsync(String)}.
     *
     * @param name the name
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void addRole(String name) {
        Futures.await(addRoleAsync(name));
    }

    /**
     * Deletes a role and takes it from every user. Fails with {@link AuthAdminException.Reason#ROLE_NOT_FOUND}.
     *
     * @param name the name
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> deleteRoleAsync(String name);

    /**
     * Blocking form of {@link #deleteRoleAsync(String)}.
     *
     * @param name the name
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void deleteRole(String name) {
        Futures.await(deleteRoleAsync(name));
    }

    /**
     * The names of all roles, sorted.
     *
     * @return the names of all roles, sorted
     */
    CompletableFuture<List<String>> rolesAsync();

    /**
     * Blocking form of {@link #rolesAsync()}.
     *
     * @return what {@link #rolesAsync()} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<String> roles() {
        return Futures.await(rolesAsync());
    }

    /**
     * A role and its permissions. Fails with {@link AuthAdminException.Reason#ROLE_NOT_FOUND}.
     *
     * @param name the name
     * @return a role and its permissions
     */
    CompletableFuture<Role> roleAsync(String name);

    /**
     * Blocking form of {@link #roleAsync(String)}.
     *
     * @param name the name
     * @return what {@link #roleAsync(String)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default Role role(String name) {
        return Futures.await(roleAsync(name));
    }

    /**
     * Grants {@code permission} to {@code role}. A permission on the same key and range end replaces the old
     * one's type; granting it again does nothing.
     *
     * @param role the role name
     * @param permission the permission
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> grantPermissionAsync(String role, Permission permission);

    /**
     * Blocking form of {@link #grantPermissionAsync(String, Permission)}.
     *
     * @param role the role name
     * @param permission the permission
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void grantPermission(String role, Permission permission) {
        Futures.await(grantPermissionAsync(role, permission));
    }

    /**
     * Takes from {@code role} the permission on exactly {@code key} and {@code rangeEnd} (empty for a single
     * key), whatever its type. Fails with {@link AuthAdminException.Reason#PERMISSION_NOT_GRANTED} when the role
     * has no permission with that key and range end.
     *
     * @param role the role name
     * @param key the key
     * @param rangeEnd the range end
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> revokePermissionAsync(String role, Bytes key, Bytes rangeEnd);

    /**
     * Blocking form of {@link #revokePermissionAsync(String, Bytes, Bytes)}.
     *
     * @param role the role name
     * @param key the key
     * @param rangeEnd the range end
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void revokePermission(String role, Bytes key, Bytes rangeEnd) {
        Futures.await(revokePermissionAsync(role, key, rangeEnd));
    }

    /**
     * Takes from {@code role} the permission with the key and range end of {@code permission}.
     *
     * @param role the role name
     * @param permission the permission
     */
    default void revokePermission(String role, Permission permission) {
        revokePermission(role, permission.key(), permission.rangeEnd());
    }

    /**
     * Asynchronous form of {@link #revokePermission(String, Permission)}: revokes the permission on
     * {@code permission}'s key or range (its type does not matter).
     *
     * @param role the role's name
     * @param permission the permission to revoke
     * @return completes when revoked
     * @throws NullPointerException when an argument is null
     */
    default CompletableFuture<Void> revokePermissionAsync(String role, Permission permission) {
        java.util.Objects.requireNonNull(permission, "permission");
        return revokePermissionAsync(role, permission.key(), permission.rangeEnd());
    }
}
