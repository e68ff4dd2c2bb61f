package io.etcdkit.internal.auth;

import io.etcd.jetcd.api.AuthDisableRequest;
import io.etcd.jetcd.api.AuthEnableRequest;
import io.etcd.jetcd.api.AuthGrpc;
import io.etcd.jetcd.api.AuthRoleAddRequest;
import io.etcd.jetcd.api.AuthRoleDeleteRequest;
import io.etcd.jetcd.api.AuthRoleGetRequest;
import io.etcd.jetcd.api.AuthRoleGrantPermissionRequest;
import io.etcd.jetcd.api.AuthRoleListRequest;
import io.etcd.jetcd.api.AuthRoleRevokePermissionRequest;
import io.etcd.jetcd.api.AuthUserAddRequest;
import io.etcd.jetcd.api.AuthUserChangePasswordRequest;
import io.etcd.jetcd.api.AuthUserDeleteRequest;
import io.etcd.jetcd.api.AuthUserGetRequest;
import io.etcd.jetcd.api.AuthUserGrantRoleRequest;
import io.etcd.jetcd.api.AuthUserListRequest;
import io.etcd.jetcd.api.AuthUserRevokeRoleRequest;
import io.etcdkit.Bytes;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.auth.Auth;
import io.etcdkit.auth.AuthAdminException;
import io.etcdkit.auth.AuthAdminException.Reason;
import io.etcdkit.auth.Permission;
import io.etcdkit.auth.PermissionType;
import io.etcdkit.auth.Role;
import io.etcdkit.auth.User;
import io.etcdkit.internal.ByteStrings;
import io.etcdkit.internal.CallKind;
import io.etcdkit.internal.ClientContext;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
import io.etcdkit.internal.cluster.Failures;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/** The {@link Auth} of a client view. */
public final class DefaultAuth implements Auth {
    private final ClientContext ctx;
    private final Transport transport;

    /** The service of the view {@code ctx}. */
    public DefaultAuth(ClientContext ctx) {
        this.ctx = ctx;
        this.transport = ctx.transport();
    }

    @Override
    public CompletableFuture<Void> enableAsync() {
        return run(AuthGrpc.getAuthEnableMethod(), AuthEnableRequest.getDefaultInstance(), CallKind.IDEMPOTENT_WRITE,
                "enable authentication", r -> null);
    }

    @Override
    public CompletableFuture<Void> disableAsync() {
        return run(AuthGrpc.getAuthDisableMethod(), AuthDisableRequest.getDefaultInstance(),
                CallKind.IDEMPOTENT_WRITE, "disable authentication", r -> null);
    }

    @Override
    public CompletableFuture<Void> addUserAsync(String name, String password) {
        String what = "add user '" + name + "'";
        try {
            checkName(name, "user name", what);
            checkPassword(password, what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getUserAddMethod(), AuthUserAddRequest.newBuilder().setName(name).setPassword(password)
                .build(), CallKind.WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<Void> deleteUserAsync(String name) {
        String what = "delete user '" + name + "'";
        try {
            checkName(name, "user name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getUserDeleteMethod(), AuthUserDeleteRequest.newBuilder().setName(name).build(),
                CallKind.WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<Void> changePasswordAsync(String name, String password) {
        String what = "change the password of user '" + name + "'";
        try {
            checkName(name, "user name", what);
            checkPassword(password, what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getUserChangePasswordMethod(), AuthUserChangePasswordRequest.newBuilder().setName(name)
                .setPassword(password).build(), CallKind.IDEMPOTENT_WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<List<String>> usersAsync() {
        return run(AuthGrpc.getUserListMethod(), AuthUserListRequest.getDefaultInstance(), CallKind.READ,
                "list users", r -> List.copyOf(r.getUsersList()));
    }

    @Override
    public CompletableFuture<User> userAsync(String name) {
        String what = "get user '" + name + "'";
        try {
            checkName(name, "user name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getUserGetMethod(), AuthUserGetRequest.newBuilder().setName(name).build(), CallKind.READ,
                what, r -> new User(name, r.getRolesList()));
    }

    @Override
    public CompletableFuture<Void> grantRoleAsync(String user, String role) {
        String what = "grant role '" + role + "' to user '" + user + "'";
        try {
            checkName(user, "user name", what);
            checkName(role, "role name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getUserGrantRoleMethod(), AuthUserGrantRoleRequest.newBuilder().setUser(user)
                .setRole(role).build(), CallKind.IDEMPOTENT_WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<Void> revokeRoleAsync(String user, String role) {
        String what = "revoke role '" + role + "' from user '" + user + "'";
        try {
            checkName(user, "user name", what);
            checkName(role, "role name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getUserRevokeRoleMethod(), AuthUserRevokeRoleRequest.newBuilder().setName(user)
                .setRole(role).build(), CallKind.WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<Void> addRoleAsync(String name) {
        String what = "add role '" + name + "'";
        try {
            checkName(name, "role name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getRoleAddMethod(), AuthRoleAddRequest.newBuilder().setName(name).build(),
                CallKind.WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<Void> deleteRoleAsync(String name) {
        String what = "delete role '" + name + "'";
        try {
            checkName(name, "role name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getRoleDeleteMethod(), AuthRoleDeleteRequest.newBuilder().setRole(name).build(),
                CallKind.WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<List<String>> rolesAsync() {
        return run(AuthGrpc.getRoleListMethod(), AuthRoleListRequest.getDefaultInstance(), CallKind.READ,
                "list roles", r -> List.copyOf(r.getRolesList()));
    }

    @Override
    public CompletableFuture<Role> roleAsync(String name) {
        String what = "get role '" + name + "'";
        try {
            checkName(name, "role name", what);
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getRoleGetMethod(), AuthRoleGetRequest.newBuilder().setRole(name).build(), CallKind.READ,
                what, r -> {
                    List<Permission> perms = new ArrayList<>(r.getPermCount());
                    for (io.etcd.jetcd.api.Permission p : r.getPermList()) {
                        perms.add(new Permission(type(p.getPermTypeValue()), ByteStrings.bytes(p.getKey()),
                                ByteStrings.bytes(p.getRangeEnd())));
                    }
                    return new Role(name, perms);
                });
    }

    @Override
    public CompletableFuture<Void> grantPermissionAsync(String role, Permission permission) {
        String what = "grant " + permission + " to role '" + role + "'";
        try {
            checkName(role, "role name", what);
            Objects.requireNonNull(permission, "permission");
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        io.etcd.jetcd.api.Permission wire = io.etcd.jetcd.api.Permission.newBuilder()
                .setPermType(wireType(permission.type()))
                .setKey(ByteStrings.of(permission.key()))
                .setRangeEnd(ByteStrings.of(permission.rangeEnd()))
                .build();
        return run(AuthGrpc.getRoleGrantPermissionMethod(), AuthRoleGrantPermissionRequest.newBuilder().setName(role)
                .setPerm(wire).build(), CallKind.IDEMPOTENT_WRITE, what, r -> null);
    }

    @Override
    public CompletableFuture<Void> revokePermissionAsync(String role, Bytes key, Bytes rangeEnd) {
        String what = "revoke the permission on " + (rangeEnd == null || rangeEnd.isEmpty() ? "key " + key
                : "[" + key + ", " + rangeEnd + ")") + " from role '" + role + "'";
        try {
            checkName(role, "role name", what);
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(rangeEnd, "rangeEnd");
            if (key.isEmpty()) {
                throw new InvalidArgumentException(what + ": give the permission's non-empty key and its range end "
                        + "(empty for a single-key permission)");
            }
        } catch (InvalidArgumentException e) {
            return Futures.failed(e);
        }
        return run(AuthGrpc.getRoleRevokePermissionMethod(), AuthRoleRevokePermissionRequest.newBuilder()
                .setRole(role).setKey(ByteStrings.of(key)).setRangeEnd(ByteStrings.of(rangeEnd)).build(),
                CallKind.WRITE, what, r -> null);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private <Q, R, T> CompletableFuture<T> run(MethodDescriptor<Q, R> method, Q request, CallKind kind, String what,
            Function<R, T> convert) {
        return Failures.remap(transport.call(method, request, kind, ctx.deadline(), () -> what),
                e -> authAdmin(e, what)).thenApply(convert);
    }

    private static void checkName(String name, String kind, String what) {
        Objects.requireNonNull(name, kind);
        if (name.isEmpty()) {
            throw new InvalidArgumentException(what + ": the " + kind + " must not be empty");
        }
    }

    private static void checkPassword(String password, String what) {
        Objects.requireNonNull(password, "password");
        if (password.isEmpty()) {
            throw new InvalidArgumentException(what + ": the password must not be empty");
        }
    }

    private static PermissionType type(int wire) {
        switch (wire) {
            case io.etcd.jetcd.api.Permission.Type.READ_VALUE:
                return PermissionType.READ;
            case io.etcd.jetcd.api.Permission.Type.WRITE_VALUE:
                return PermissionType.WRITE;
            case io.etcd.jetcd.api.Permission.Type.READWRITE_VALUE:
                return PermissionType.READWRITE;
            default:
                throw new EtcdException("etcd returned a permission of unknown type " + wire
                        + "; this client is older than the server");
        }
    }

    private static io.etcd.jetcd.api.Permission.Type wireType(PermissionType type) {
        switch (type) {
            case READ:
                return io.etcd.jetcd.api.Permission.Type.READ;
            case WRITE:
                return io.etcd.jetcd.api.Permission.Type.WRITE;
            default:
                return io.etcd.jetcd.api.Permission.Type.READWRITE;
        }
    }

    /** etcd's auth-administration errors (rpctypes) as {@link AuthAdminException}s; null for others. */
    static EtcdException authAdmin(EtcdException e, String what) {
        if (Failures.says(e, "etcdserver: root user does not exist")) {
            return new AuthAdminException(Reason.ROOT_USER_MISSING, what + " failed: etcd needs a user 'root' with "
                    + "the role 'root' before authentication can be enabled. Create it first: addUser(\"root\", "
                    + "password), then grantRole(\"root\", \"root\"); then connect with that user's credentials", e);
        }
        if (Failures.says(e, "etcdserver: root user does not have root role")) {
            return new AuthAdminException(Reason.ROOT_ROLE_MISSING, what + " failed: the user 'root' lacks the role "
                    + "'root', which etcd requires before authentication can be enabled; grantRole(\"root\", "
                    + "\"root\") first", e);
        }
        if (Failures.says(e, "etcdserver: user name already exists")) {
            return new AuthAdminException(Reason.USER_EXISTS, what + " failed: the user already exists", e);
        }
        if (Failures.says(e, "etcdserver: user name not found")) {
            return new AuthAdminException(Reason.USER_NOT_FOUND, what + " failed: no such user; list them with "
                    + "users()", e);
        }
        if (Failures.says(e, "etcdserver: role name already exists")) {
            return new AuthAdminException(Reason.ROLE_EXISTS, what + " failed: the role already exists", e);
        }
        if (Failures.says(e, "etcdserver: role name not found")) {
            return new AuthAdminException(Reason.ROLE_NOT_FOUND, what + " failed: no such role; list them with "
                    + "roles() or create it with addRole(..)", e);
        }
        if (Failures.says(e, "etcdserver: role is not granted to the user")) {
            return new AuthAdminException(Reason.ROLE_NOT_GRANTED, what + " failed: the user does not have that "
                    + "role", e);
        }
        if (Failures.says(e, "etcdserver: permission is not granted to the role")) {
            return new AuthAdminException(Reason.PERMISSION_NOT_GRANTED, what + " failed: the role has no "
                    + "permission with exactly that key and range end; see role(..) for its permissions", e);
        }
        if (Failures.says(e, "etcdserver: authentication is not enabled")) {
            return new AuthAdminException(Reason.AUTH_NOT_ENABLED, what + " failed: authentication is not "
                    + "enabled on the cluster", e);
        }
        if (Failures.says(e, "etcdserver: invalid auth management")) {
            return new AuthAdminException(Reason.INVALID_AUTH_MANAGEMENT, what + " failed: etcd refuses it "
                    + "because it would leave no administrator (the user 'root' must keep the role 'root' while "
                    + "authentication is on)", e);
        }
        return null;
    }

    /** Releases resources held for the root client (called once, on close). */
    public void close() {
    }
}
