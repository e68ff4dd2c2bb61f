package io.etcdkit.recipes.registry;

/**
 * Hears a {@link Registration}'s state changes, one call at a time. The first call tells the state at
 * registration (with {@code previous == current}, on the calling thread); later calls come from the client's
 * callback executor or the registry's re-registration thread. A listener must not block for long.
 */
@FunctionalInterface
public interface RegistrationListener {
    /**
     * The registration went from {@code previous} to {@code current}; {@code reason} says why, for logs.
     *
     * @param previous the previous value
     * @param current the current value
     * @param reason the reason
     */
    void stateChanged(RegistrationState previous, RegistrationState current, String reason);
}
