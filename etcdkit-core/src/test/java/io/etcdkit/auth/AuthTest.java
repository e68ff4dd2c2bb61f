package io.etcdkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.AuthenticationFailedException;
import io.etcdkit.Bytes;
import io.etcdkit.EtcdClient;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.PermissionDeniedException;
import io.etcdkit.auth.AuthAdminException.Reason;
import io.etcdkit.testing.EtcdClusterExtension;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Authentication, users, roles and permissions against a real member with authentication enabled. */
class AuthTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().auth(true).build();

    static EtcdClient root;
    static Auth auth;

    @BeforeAll
    static void connect() {
        root = as("root", ETCD.cluster().rootPassword());
        auth = root.auth();
    }

    @AfterAll
    static void close() {
        root.close();
    }

    static EtcdClient as(String user, String password) {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).credentials(user, password)
                .connectTimeout(Duration.ofSeconds(2)).deadline(Duration.ofSeconds(5)).build();
    }

    static EtcdClient anonymous() {
        return EtcdClient.builder().endpoints(ETCD.clientEndpoints()).connectTimeout(Duration.ofSeconds(2))
                .deadline(Duration.ofSeconds(5)).build();
    }

    static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AuthAdminException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void rootAdministersAndReadsAndWrites() {
        assertThat(auth.users()).contains("root");
        assertThat(auth.roles()).contains("root");
        assertThat(auth.user("root")).isEqualTo(new User("root", List.of("root")));
        root.kv().put("auth/root", "yes");
        assertThat(root.kv().get("auth/root")).map(KeyValue::valueAsString).contains("yes");
    }

    @Test
    void aWrongPasswordIsRefusedAndChangesNothing() {
        root.kv().put("auth/guarded", "original");
        try (EtcdClient wrong = as("root", ETCD.cluster().rootPassword() + "-wrong")) {
            assertThatThrownBy(() -> wrong.kv().put("auth/guarded", "overwritten"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("user 'root'")
                    .hasMessageContaining("password");
            assertThatThrownBy(() -> wrong.kv().get("auth/guarded"))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
        assertThat(root.kv().get("auth/guarded")).map(KeyValue::valueAsString).contains("original");
    }

    @Test
    void noCredentialsOnAnAuthClusterIsATypedError() {
        try (EtcdClient none = anonymous()) {
            assertThatThrownBy(() -> none.kv().put("auth/anon", "x"))
                    .isInstanceOf(AuthenticationFailedException.class)
                    .hasMessageContaining("authentication");
            assertThatThrownBy(() -> none.kv().get("auth/anon"))
                    .isInstanceOf(AuthenticationFailedException.class);
        }
        assertThat(root.kv().get("auth/anon")).isEmpty();
    }

    @Test
    void aUserWithoutPermissionIsDenied() {
        auth.addUser("nobody", "nobody-pw");
        try (EtcdClient nobody = as("nobody", "nobody-pw")) {
            assertThatThrownBy(() -> nobody.kv().put("auth/nobody", "x"))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> nobody.kv().get("auth/root"))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> nobody.auth().users()).isInstanceOf(PermissionDeniedException.class);
        } finally {
            auth.deleteUser("nobody");
        }
        assertThat(root.kv().get("auth/nobody")).isEmpty();
        assertThat(auth.users()).doesNotContain("nobody");
    }

    @Test
    void aPrefixPermissionAllowsThatPrefixOnly() {
        auth.addRole("app-rw");
        auth.grantPermission("app-rw", Permission.prefix(PermissionType.READWRITE, "app/"));
        auth.addRole("conf-ro");
        auth.grantPermission("conf-ro", Permission.key(PermissionType.READ, "conf"));
        auth.addUser("alice", "alice-pw");
        auth.grantRole("alice", "app-rw");
        auth.grantRole("alice", "app-rw"); // again: no change
        auth.grantRole("alice", "conf-ro");
        root.kv().put("conf", "c");
        root.kv().put("other/x", "root's");
        try (EtcdClient alice = as("alice", "alice-pw")) {
            assertThat(auth.user("alice").roles()).containsExactly("app-rw", "conf-ro");
            assertThat(auth.role("app-rw").permissions())
                    .containsExactly(Permission.prefix(PermissionType.READWRITE, "app/"));
            assertThat(auth.role("conf-ro").permissions())
                    .containsExactly(Permission.key(PermissionType.READ, "conf"));

            alice.kv().put("app/x", "1");
            assertThat(alice.kv().get("app/x")).map(KeyValue::valueAsString).contains("1");
            assertThat(alice.kv().list("app/")).hasSize(1);
            assertThat(alice.kv().get("conf")).map(KeyValue::valueAsString).contains("c");
            assertThatThrownBy(() -> alice.kv().put("conf", "changed")).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> alice.kv().put("other/x", "alice's"))
                    .isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> alice.kv().get("other/x")).isInstanceOf(PermissionDeniedException.class);
            assertThatThrownBy(() -> alice.kv().put("appx", "outside the prefix"))
                    .isInstanceOf(PermissionDeniedException.class);

            auth.revokePermission("app-rw", Permission.prefix(PermissionType.READWRITE, "app/"));
            assertThat(auth.role("app-rw").permissions()).isEmpty();
            assertThatThrownBy(() -> alice.kv().put("app/y", "2")).isInstanceOf(PermissionDeniedException.class);
            auth.revokeRole("alice", "conf-ro");
            assertThat(auth.user("alice").roles()).containsExactly("app-rw");
            assertThatThrownBy(() -> alice.kv().get("conf")).isInstanceOf(PermissionDeniedException.class);
        } finally {
            auth.deleteUser("alice");
            auth.deleteRole("app-rw");
            auth.deleteRole("conf-ro");
        }
        assertThat(root.kv().get("other/x")).map(KeyValue::valueAsString).contains("root's");
        assertThat(root.kv().get("conf")).map(KeyValue::valueAsString).contains("c");
        assertThat(root.kv().get("app/y")).isEmpty();
        assertThat(auth.roles()).doesNotContain("app-rw", "conf-ro");
    }

    @Test
    void aChangedPasswordReplacesTheOldOne() {
        auth.addUser("bob", "first");
        try {
            auth.changePassword("bob", "second");
            try (EtcdClient old = as("bob", "first"); EtcdClient current = as("bob", "second")) {
                assertThatThrownBy(() -> old.kv().get("x")).isInstanceOf(AuthenticationFailedException.class);
                // authenticated, but without roles
                assertThatThrownBy(() -> current.kv().get("x")).isInstanceOf(PermissionDeniedException.class);
            }
        } finally {
            auth.deleteUser("bob");
        }
    }

    @Test
    void refusedAdministrationIsTypedAndChangesNothing() {
        assertReason(() -> auth.addUser("root", "x"), Reason.USER_EXISTS);
        assertReason(() -> auth.addRole("root"), Reason.ROLE_EXISTS);
        assertReason(() -> auth.deleteUser("ghost"), Reason.USER_NOT_FOUND);
        assertReason(() -> auth.user("ghost"), Reason.USER_NOT_FOUND);
        assertReason(() -> auth.role("ghost"), Reason.ROLE_NOT_FOUND);
        assertReason(() -> auth.deleteRole("ghost"), Reason.ROLE_NOT_FOUND);
        assertReason(() -> auth.grantRole("root", "ghost"), Reason.ROLE_NOT_FOUND);
        assertReason(() -> auth.revokeRole("root", "root"), Reason.INVALID_AUTH_MANAGEMENT);
        assertReason(() -> auth.deleteUser("root"), Reason.INVALID_AUTH_MANAGEMENT);
        auth.addUser("dave", "pw");
        auth.addRole("empty");
        try {
            assertReason(() -> auth.revokeRole("dave", "empty"), Reason.ROLE_NOT_GRANTED);
            assertReason(() -> auth.revokePermission("empty", Bytes.of("k"), Bytes.EMPTY),
                    Reason.PERMISSION_NOT_GRANTED);
        } finally {
            auth.deleteUser("dave");
            auth.deleteRole("empty");
        }
        assertThatThrownBy(() -> auth.addUser("", "pw")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> auth.addUser("erin", "")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> auth.grantPermission("root", null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("permission");
        assertThat(auth.user("root").roles()).containsExactly("root");
        assertThat(auth.users()).doesNotContain("erin", "");
    }

    /**
     * Disabling auth invalidates every token; enabling needs user root with role root. Clients holding old
     * tokens keep working by fetching new ones.
     */
    @Test
    void enablingNeedsRootAndClientsRefreshTheirTokens() {
        auth.addRole("carol-rw");
        auth.grantPermission("carol-rw", Permission.prefix(PermissionType.READWRITE, "carol/"));
        auth.addUser("carol", "carol-pw");
        auth.grantRole("carol", "carol-rw");
        try (EtcdClient carol = as("carol", "carol-pw"); EtcdClient none = anonymous()) {
            carol.kv().put("carol/1", "before"); // carol now holds a token
            root.kv().get("x");                  // and so does root

            auth.disable();
            none.kv().put("auth/while-disabled", "anyone may write");
            try {
                none.auth().deleteUser("root");
                assertReason(() -> none.auth().enable(), Reason.ROOT_USER_MISSING);
                none.auth().addUser("root", ETCD.cluster().rootPassword());
                assertReason(() -> none.auth().enable(), Reason.ROOT_ROLE_MISSING);
                none.auth().grantRole("root", "root");
            } finally {
                none.auth().enable();
            }
            assertThatThrownBy(() -> none.kv().get("x")).isInstanceOf(AuthenticationFailedException.class);

            // both old tokens died with the disable; the clients fetch new ones transparently
            carol.kv().put("carol/2", "after");
            assertThat(carol.kv().get("carol/1")).map(KeyValue::valueAsString).contains("before");
            assertThat(root.kv().get("auth/while-disabled")).isPresent();
            assertThat(auth.user("root").roles()).containsExactly("root");
        } finally {
            auth.deleteUser("carol");
            auth.deleteRole("carol-rw");
        }
    }

    /** One client with root credentials turns auth off and on again. */
    @Test
    void theSameClientDisablesAndEnablesAuthentication() {
        auth.disable();
        try {
            try (EtcdClient none = anonymous()) {
                none.kv().put("auth/open", "1"); // really disabled
            }
            root.kv().put("auth/by-root-while-disabled", "1");
        } finally {
            auth.enable();
        }
        try (EtcdClient none = anonymous()) {
            assertThatThrownBy(() -> none.kv().get("auth/open")).isInstanceOf(AuthenticationFailedException.class);
        }
        assertThat(root.kv().get("auth/by-root-while-disabled")).isPresent();
    }

    /** Simple tokens live in the member's memory: a restart invalidates them, and clients fetch new ones. */
    @Test
    void tokensAreRefreshedAfterTheMemberRestarts() {
        auth.addUser("frank", "frank-pw");
        auth.grantRole("frank", "root");
        try (EtcdClient frank = as("frank", "frank-pw")) {
            frank.kv().put("auth/frank", "1");
            ETCD.cluster().member(0).restart();
            frank.kv().put("auth/frank", "2");
            assertThat(frank.kv().get("auth/frank")).map(KeyValue::valueAsString).contains("2");
        } finally {
            auth.deleteUser("frank");
        }
    }
}
