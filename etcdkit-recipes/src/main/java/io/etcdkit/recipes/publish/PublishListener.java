package io.etcdkit.recipes.publish;

/**
 * Hears what a {@link LeasedPublisher} does. Every method has a no-op default. Calls come on the client's callback
 * executor (or on the upstream's thread for its own {@code onError}/{@code onComplete}); they may come from several
 * threads but never concurrently for one publisher. An exception thrown here is logged and ignored. Do not block.
 *
 * @param <T> the value type
 */
public interface PublishListener<T> {
    /**
     * {@code entry} is stored at {@code revision}.
     *
     * @param entry the entry
     * @param revision the revision
     */
    default void onPublished(Entry<T> entry, long revision) {
    }

    /** The upstream completed and every entry is stored. */
    default void onCompleted() {
    }

    /**
     * Publishing failed for good: a put failed or a value could not be encoded ({@link PublishFailedException},
     * whose cause is the put's error, e.g. {@link io.etcdkit.OutcomeUnknownException}), the lease was lost ({@link io.etcdkit.recipes.session.SessionExpiredException}), or the upstream signalled {@code cause}.
     * The upstream subscription has been cancelled. Called at most once.
     *
     * @param cause the underlying failure
     */
    default void onFailed(Throwable cause) {
    }
}
