package io.etcdkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.etcdkit.testing.EtcdClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class AuthExampleTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().auth(true).build();

    @Test
    void aPrefixRoleAllowsItsPrefixOnlyAndEverythingIsRemovedAfterwards() {
        ExampleRun run = new ExampleRun();
        AuthExample.run(ETCD.clientEndpointsString(), ETCD.cluster().rootPassword(), run.out());
        assertThat(run.lines()).containsExactly(
                "user examples-app has roles [examples-app-rw]",
                "write inside examples/app/: ok",
                "write outside: PermissionDeniedException",
                "cleaned up; users now [root]");
    }
}
