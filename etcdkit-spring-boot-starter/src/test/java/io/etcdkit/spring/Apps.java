package io.etcdkit.spring;

import io.etcdkit.spring.app.DemoApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Starts the test application with the given properties (as command-line arguments, highest precedence). */
final class Apps {
    private Apps() {
    }

    static ConfigurableApplicationContext start(WebApplicationType web, Map<String, String> properties) {
        List<String> args = new ArrayList<>();
        properties.forEach((k, v) -> args.add("--" + k + "=" + v));
        args.add("--spring.main.banner-mode=off");
        return new SpringApplicationBuilder(DemoApplication.class).web(web).run(args.toArray(String[]::new));
    }
}
