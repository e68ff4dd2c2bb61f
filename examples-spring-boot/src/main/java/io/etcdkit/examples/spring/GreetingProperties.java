package io.etcdkit.examples.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code greeting.*}, bound from etcd and rebound whenever the keys change. */
@ConfigurationProperties("greeting")
public class GreetingProperties {
    private String message = "hello from application.properties";

    /** @return the greeting */
    public String getMessage() {
        return message;
    }

    /** @param message the greeting */
    public void setMessage(String message) {
        this.message = message;
    }
}
