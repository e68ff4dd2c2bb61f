package io.etcdkit.recipes.lock;

import io.etcdkit.EtcdException;

/** The lock was not acquired within the time allowed; the waiter's place in the queue was given up. */
public class LockTimeoutException extends EtcdException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public LockTimeoutException(String message) {
        super(message);
    }
}
