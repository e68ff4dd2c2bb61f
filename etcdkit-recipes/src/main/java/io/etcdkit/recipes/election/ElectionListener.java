package io.etcdkit.recipes.election;

/** Hears an election's changes, one at a time, in order, on the client's callback executor. */
@FunctionalInterface
public interface ElectionListener {
    /**
     * Handles one change.
     *
     * @param event the event
     */
    void onEvent(ElectionEvent event);
}
