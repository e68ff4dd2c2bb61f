package io.etcdkit.examples;

import io.etcdkit.EtcdClient;
import io.etcdkit.PermissionDeniedException;
import io.etcdkit.auth.Auth;
import io.etcdkit.auth.Permission;
import io.etcdkit.auth.PermissionType;
import java.io.PrintStream;

/**
 * Users, roles and prefix permissions on a cluster with authentication enabled: as {@code root}, creates a role
 * that may read and write {@code examples/app/} and a user with that role; the user's client writes there and is
 * refused elsewhere; then everything is removed again.
 *
 * <pre>
 * ETCD_ROOT_PASSWORD=... java -cp examples/target/etcdkit-examples.jar io.etcdkit.examples.AuthExample \
 *     http://127.0.0.1:2379
 * </pre>
 */
public final class AuthExample {
    static final String ROLE = "examples-app-rw";
    static final String USER = "examples-app";

    private AuthExample() {
    }

    /** Runs the example against the endpoints in {@code args[0]} (else {@code ETCD_ENDPOINTS}) as root. */
    public static void main(String[] args) throws Exception {
        String password = System.getenv("ETCD_ROOT_PASSWORD");
        if (password == null) {
            throw new IllegalArgumentException("set ETCD_ROOT_PASSWORD to the password of the etcd user root");
        }
        run(ExampleClient.endpoints(args), password, System.out);
    }

    static void run(String endpoints, String rootPassword, PrintStream out) {
        try (EtcdClient root = EtcdClient.builder().endpoints(endpoints).credentials("root", rootPassword).build()) {
            Auth auth = root.auth();
            auth.addRole(ROLE);
            auth.grantPermission(ROLE, Permission.prefix(PermissionType.READWRITE, "examples/app/"));
            auth.addUser(USER, "app-password");
            auth.grantRole(USER, ROLE);
            out.println("user " + USER + " has roles " + auth.user(USER).roles());
            try (EtcdClient app = EtcdClient.builder().endpoints(endpoints).credentials(USER, "app-password")
                    .build()) {
                app.kv().put("examples/app/setting", "on");
                out.println("write inside examples/app/: ok");
                try {
                    app.kv().put("examples/other/setting", "on");
                    out.println("write outside: ok (this must not happen)");
                } catch (PermissionDeniedException e) {
                    out.println("write outside: " + e.getClass().getSimpleName());
                }
            } finally {
                root.kv().deletePrefix("examples/app/");
                auth.deleteUser(USER);
                auth.deleteRole(ROLE);
            }
            out.println("cleaned up; users now " + auth.users());
        }
    }
}
