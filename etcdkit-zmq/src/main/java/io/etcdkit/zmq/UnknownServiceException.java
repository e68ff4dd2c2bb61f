package io.etcdkit.zmq;

/**
 * A subscriber was asked to find a publisher by name, and no instance is registered under that name (within the
 * wait it was given). Nothing is left open. Check that the publisher runs, that both sides use the same registry
 * prefix and name, or give the subscriber a longer {@code waitForPublisher}.
 */
public class UnknownServiceException extends ZmqException {
    /** The service name. */
    private final String serviceName;

    /**
     * Creates the exception for {@code serviceName}, registered under {@code keyPrefix}.
     *
     * @param serviceName the service name
     * @param keyPrefix the key prefix
     * @param waited the waited
     */
    public UnknownServiceException(String serviceName, String keyPrefix, java.time.Duration waited) {
        super("no publisher is registered as '" + serviceName + "' (no keys under '" + keyPrefix + "' after waiting "
                + waited.toMillis() + " ms); start the publisher with that name and registry prefix, or wait longer "
                + "with waitForPublisher(..)");
        this.serviceName = serviceName;
    }

    /**
     * The service name that was looked up.
     *
     * @return the service name that was looked up
     */
    public String serviceName() {
        return serviceName;
    }
}
