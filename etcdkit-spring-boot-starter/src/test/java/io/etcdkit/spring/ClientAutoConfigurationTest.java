package io.etcdkit.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcdkit.EtcdClient;
import io.etcdkit.EtcdException;
import io.etcdkit.KeyValue;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.EtcdListener;
import io.etcdkit.spring.app.DemoApplication;
import io.etcdkit.testing.EtcdClusterExtension;
import io.etcdkit.testing.TlsFiles;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The auto-configured client against members with mutual TLS or authentication: built from etcdkit.* (TLS files,
 * user and password, namespace), given the application's EtcdListener beans, closed with the context; and absent
 * when the application defines its own client.
 */
class ClientAutoConfigurationTest {
    @RegisterExtension
    static final EtcdClusterExtension ETCD = EtcdClusterExtension.builder().tls(true).clientCertAuth(true).build();
    @RegisterExtension
    static final EtcdClusterExtension AUTH = EtcdClusterExtension.builder().auth(true).build();

    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    @Configuration(proxyBeanMethods = false)
    static class Listening {
        @Bean
        EtcdListener recordingListener() {
            return new EtcdListener() {
                @Override
                public CallListener callStarted(CallInfo call) {
                    CALLS.add(call.method());
                    return CallListener.NONE;
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnClient {
        static final EtcdClient CLIENT = EtcdClient.builder().endpoints("http://127.0.0.1:1").build();

        @Bean
        EtcdClient myClient() {
            return CLIENT;
        }
    }

    private static ConfigurableApplicationContext startWithTls(Class<?> extra) {
        TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
        return start(extra, "--etcdkit.endpoints=" + ETCD.clientEndpointsString(),
                "--etcdkit.tls.trusted-certificates=" + tls.caCert(),
                "--etcdkit.tls.client-certificate=" + tls.clientCert(),
                "--etcdkit.tls.client-key=" + tls.clientKey());
    }

    private static ConfigurableApplicationContext start(Class<?> extra, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--etcdkit.namespace=tenant-a/",
                "--etcdkit.discovery.register=false", "--spring.main.banner-mode=off"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(DemoApplication.class, extra).web(WebApplicationType.NONE)
                .run(args.toArray(String[]::new));
    }

    @Test
    void theClientIsBuiltFromPropertiesGetsTheListenerBeansAndIsClosedWithTheContext() {
        EtcdClient client;
        try (ConfigurableApplicationContext app = startWithTls(Listening.class)) {
            client = app.getBean(EtcdClient.class);
            assertThat(client.endpoints()).allMatch(e -> e.startsWith("https://"));
            CALLS.clear();
            client.kv().put("greeting", "over mutual TLS");
            assertThat(CALLS).contains("Put");
            TlsFiles tls = ETCD.cluster().tlsFiles().orElseThrow();
            try (EtcdClient plain = EtcdClient.builder().endpoints(ETCD.clientEndpoints())
                    .trustedCertificates(tls.caCert()).clientCertificate(tls.clientCert(), tls.clientKey()).build()) {
                assertThat(plain.kv().get("tenant-a/greeting").map(KeyValue::valueAsString))
                        .contains("over mutual TLS");
            }
        }
        EtcdClient closed = client;
        assertThatThrownBy(() -> closed.kv().get("greeting")).isInstanceOf(EtcdException.class);
    }

    @Test
    void userAndPasswordAuthenticate() {
        try (ConfigurableApplicationContext app = start(Listening.class,
                "--etcdkit.endpoints=" + AUTH.clientEndpointsString(), "--etcdkit.user=root",
                "--etcdkit.password=" + AUTH.cluster().rootPassword())) {
            EtcdClient client = app.getBean(EtcdClient.class);
            client.kv().put("greeting", "authenticated");
            assertThat(client.kv().get("greeting").map(KeyValue::valueAsString)).contains("authenticated");
        }
    }

    @Test
    void theStarterBacksOffWhenTheApplicationDefinesItsOwnClient() {
        try (ConfigurableApplicationContext app = startWithTls(OwnClient.class)) {
            assertThat(app.getBean(EtcdClient.class)).isSameAs(OwnClient.CLIENT);
            assertThat(app.getBeansOfType(EtcdClient.class)).hasSize(1);
        } finally {
            OwnClient.CLIENT.close();
        }
    }

    @Test
    void aUserWithoutAPasswordIsAClearConfigurationError() {
        assertThatThrownBy(() -> start(Listening.class, "--etcdkit.endpoints=" + AUTH.clientEndpointsString(),
                "--etcdkit.user=root").close())
                .hasStackTraceContaining("etcdkit.user is set but etcdkit.password is not");
    }
}
