package io.etcdkit.spring.config;

import org.springframework.boot.context.config.ConfigDataException;

/**
 * Start-up stopped because {@code spring.config.import=etcd:} could not read its configuration from etcd (members
 * unreachable, no leader, or refused). The message names the endpoints and what to do; use
 * {@code optional:etcd:} to start without etcd and pick the values up when it is back.
 */
public class EtcdConfigUnavailableException extends ConfigDataException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and what to do
     * @param cause the client's error
     */
    public EtcdConfigUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
