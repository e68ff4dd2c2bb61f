package io.etcdkit.recipes.session;

import io.etcdkit.EtcdException;

/**
 * The session's lease expired (or was revoked or closed) while an operation depended on it: a lock or leadership
 * held or sought through it is lost. Open a new session and start over; nothing done through the old session
 * can be trusted any more.
 */
public class SessionExpiredException extends EtcdException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public SessionExpiredException(String message) {
        super(message);
    }
}
