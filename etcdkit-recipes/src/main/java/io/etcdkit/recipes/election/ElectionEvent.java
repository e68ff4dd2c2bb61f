package io.etcdkit.recipes.election;

/**
 * What an {@link ElectionObserver} reports: a new leadership ({@link LeaderElected}), a new value proclaimed by the
 * same leader ({@link LeaderProclaimed}), or that there is no leader ({@link NoLeader}). The same leadership is never
 * reported as elected twice, and "no leader" is not repeated while there is none.
 */
public sealed interface ElectionEvent permits ElectionEvent.LeaderElected, ElectionEvent.LeaderProclaimed,
        ElectionEvent.NoLeader {

    /** A new leadership began. */
    record LeaderElected(Leader leader) implements ElectionEvent {
    }

    /** The current leader proclaimed a new value. */
    record LeaderProclaimed(Leader leader) implements ElectionEvent {
    }

    /** There is no leader (no candidate). */
    record NoLeader() implements ElectionEvent {
    }
}
