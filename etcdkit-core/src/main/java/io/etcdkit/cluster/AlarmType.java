package io.etcdkit.cluster;

/** The kinds of alarm a member raises. */
public enum AlarmType {
    /**
     * The backend database reached its quota ({@code --quota-backend-bytes}); the cluster refuses writes until
     * space is reclaimed (compact, defragment) and the alarm is {@linkplain Maintenance#disarm(Alarm) disarmed}.
     */
    NOSPACE,
    /** The member detected that its data is inconsistent with the other members' (etcd 3.3 or later). */
    CORRUPT,
    /** An alarm kind this client does not know (from a newer etcd); it cannot be disarmed by this client. */
    UNKNOWN
}
