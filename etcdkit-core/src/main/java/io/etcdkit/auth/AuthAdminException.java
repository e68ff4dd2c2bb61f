package io.etcdkit.auth;

import io.etcdkit.InvalidArgumentException;

/**
 * An authentication-administration request that etcd refused because it does not fit the current users, roles
 * or auth state, with the {@link #reason()} so callers can react (e.g. ignore {@link Reason#USER_EXISTS} when
 * creating users idempotently). Nothing was changed.
 */
public class AuthAdminException extends InvalidArgumentException {
    /** Why the request was refused. */
    public enum Reason {
        /** No user has the given name. */
        USER_NOT_FOUND,
        /** A user with the given name already exists. */
        USER_EXISTS,
        /** No role has the given name. */
        ROLE_NOT_FOUND,
        /** A role with the given name already exists. */
        ROLE_EXISTS,
        /** The user does not have the role being revoked. */
        ROLE_NOT_GRANTED,
        /** The role does not have the permission being revoked. */
        PERMISSION_NOT_GRANTED,
        /** Authentication cannot be enabled: there is no user {@code root}. */
        ROOT_USER_MISSING,
        /** Authentication cannot be enabled: the user {@code root} lacks the role {@code root}. */
        ROOT_ROLE_MISSING,
        /** The request needs authentication to be enabled. */
        AUTH_NOT_ENABLED,
        /**
         * The change would lock administrators out, e.g. revoking the role {@code root} from the user
         * {@code root} while authentication is on.
         */
        INVALID_AUTH_MANAGEMENT
    }

    /** Why etcd refused the change. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the request was refused
     * @param message what was asked, what went wrong and what to do
     * @param cause the error as the transport reported it
     */
    public AuthAdminException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /**
     * Why the request was refused.
     *
     * @return why the request was refused
     */
    public Reason reason() {
        return reason;
    }
}
