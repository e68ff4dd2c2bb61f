package io.etcdkit.recipes.session;

/**
 * Hears a session's state changes, one call at a time, on the client's callback executor. The first call tells
 * the state at registration (with {@code previous == current}).
 */
@FunctionalInterface
public interface SessionListener {
    /**
     * The session went from {@code previous} to {@code current}; {@code reason} says why, for logs.
     *
     * @param previous the previous value
     * @param current the current value
     * @param reason the reason
     */
    void stateChanged(SessionState previous, SessionState current, String reason);
}
