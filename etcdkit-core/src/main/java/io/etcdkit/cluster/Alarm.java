package io.etcdkit.cluster;

import java.util.Objects;

/**
 * An alarm raised by one member. Immutable.
 *
 * @param memberId the member that raised it
 * @param type what it is about
 */
public record Alarm(long memberId, AlarmType type) {
    /**
     * Checks the type is given.
     *
     * @param memberId the member id
     * @param type the kind of alarm
     */
    public Alarm {
        Objects.requireNonNull(type, "type");
    }

    @Override
    public String toString() {
        return "Alarm[" + type + " on member " + Long.toHexString(memberId) + "]";
    }
}
