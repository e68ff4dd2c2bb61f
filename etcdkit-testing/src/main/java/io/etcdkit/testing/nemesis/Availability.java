package io.etcdkit.testing.nemesis;

import java.util.Objects;

/**
 * Whether network partitions can be injected on this machine, and if not, why (see {@link Partitions#probe()}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param available whether packet-filter rules can be installed and members are told apart
 * @param reason    why not (what is missing and how to fix it), or {@code "available"}
 */
public record Availability(boolean available, String reason) {

    /**
     * Validates the fields.
     *
     * @param available whether partitions can be injected
     * @param reason    why not, or {@code "available"}
     * @throws NullPointerException if {@code reason} is null
     */
    public Availability {
        Objects.requireNonNull(reason, "reason");
    }

    static Availability yes() {
        return new Availability(true, "available");
    }

    static Availability no(String reason) {
        return new Availability(false, reason);
    }
}
