package io.etcdkit.spring.app;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Bound from greeting.*; rebound by Spring Cloud when etcd changes. */
@ConfigurationProperties("greeting")
public class GreetingProperties {
    private String message = "none";
    private String other = "none";

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getOther() {
        return other;
    }

    public void setOther(String other) {
        this.other = other;
    }
}
