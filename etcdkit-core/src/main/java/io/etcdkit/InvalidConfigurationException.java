package io.etcdkit;

/**
 * The client configuration is unusable: an unreadable certificate or key file, a malformed endpoint, a nonsensical timeout. Raised when the client is built; the message names the setting.
 */
public class InvalidConfigurationException extends EtcdException {
    /**
     * Creates the exception with a message that says what went wrong and what to do.
     *
     * @param message what was wrong and what to do
     */
    public InvalidConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a message and the underlying cause.
     *
     * @param message what was wrong and what to do
     * @param cause the underlying failure
     */
    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
