package io.etcdkit.testing.nemesis;

/**
 * One planned fault of a schedule: every random choice for it, drawn in a fixed order from the seed so that the
 * same seed always plans the same steps (what happens in etcd meanwhile is another matter).
 *
 * @param number      the step's number, from 1
 * @param kind        what to inject
 * @param memberIndex the member it hits, where the kind hits a member chosen at random
 * @param faultNanos  how long the fault lasts
 * @param calmNanos   how long to wait before it
 * @param pick        a further random number (which lease, which compaction offset, which split)
 */
record ScheduleStep(int number, FaultKind kind, int memberIndex, long faultNanos, long calmNanos, int pick) {
}
