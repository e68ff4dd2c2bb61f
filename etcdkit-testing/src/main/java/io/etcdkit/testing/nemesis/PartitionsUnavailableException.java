package io.etcdkit.testing.nemesis;

import io.etcdkit.testing.EtcdTestingException;

/**
 * Network partitions cannot be injected here: {@code iptables} is missing, not permitted (not root), or the
 * members could not be placed in their own cgroup. The message says which and what to do.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class PartitionsUnavailableException extends EtcdTestingException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is missing and how to fix it
     */
    public PartitionsUnavailableException(String message) {
        super(message);
    }
}
