package io.etcdkit.spring.app;

/** A @RefreshScope bean: created again with the current greeting.message after each refresh. */
public class RefreshedGreeting {
    private final String message;

    public RefreshedGreeting(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
