package io.etcdkit.spring.config;

import org.springframework.context.ApplicationEvent;

/**
 * A configuration document in etcd does not parse: its properties keep their last good values (none if it never
 * parsed) until a good version is written. Also logged at WARN.
 */
public class EtcdConfigRejectedEvent extends ApplicationEvent {
    private static final long serialVersionUID = 1L;
    /** The document's full key. */
    private final String key;
    /** What the parser said. */
    private final String reason;

    /**
     * Creates the event.
     *
     * @param source the watcher
     * @param key the document's full key
     * @param reason the parser's message
     */
    public EtcdConfigRejectedEvent(Object source, String key, String reason) {
        super(source);
        this.key = key;
        this.reason = reason;
    }

    /** @return the document's full key */
    public String getKey() {
        return key;
    }

    /** @return why it was rejected */
    public String getReason() {
        return reason;
    }
}
