package io.etcdkit.recipes.lock;

import io.etcdkit.EtcdException;

/**
 * The limit of a {@link Semaphore} stored in etcd is not the number of permits this process asked for. Nothing was
 * acquired. Pass the stored number everywhere; to change the limit, delete the semaphore's {@code name/limit} key
 * while no one holds a permit, then open it with the new number.
 */
public class SemaphoreLimitMismatchException extends EtcdException {
    /**
     * Creates the exception.
     *
     * @param message what was wrong and what to do
     */
    public SemaphoreLimitMismatchException(String message) {
        super(message);
    }
}
