/**
 * Checkers that judge fault tests: feed them what happened, ask them for a {@link io.etcdkit.testing.check.CheckReport}.
 *
 * <p>Fault tests (killed, paused or restarted members, compaction, lease expiry) must not be judged by eye. Each
 * checker records a history from many client threads at once and, at the end, reports every violation of one
 * contract:
 * <ul>
 *   <li>{@link io.etcdkit.testing.check.WatchDeliveryChecker} — a watch or subscription lost, duplicated,
 *       reordered or invented events, or its view differs from the store;</li>
 *   <li>{@link io.etcdkit.testing.check.FencingChecker} — a lock let a stale holder's write through, lost an
 *       increment, handed one fencing token to two holders, or stayed free too long while someone waited;</li>
 *   <li>{@link io.etcdkit.testing.check.ElectionChecker} — an observer repeated a leadership, went backwards, or
 *       two leaders claimed one revision;</li>
 *   <li>{@link io.etcdkit.testing.check.LinearizabilityChecker} — reads, writes and compare-and-sets on key-value
 *       registers, recorded with {@link io.etcdkit.testing.check.RegisterHistory}, admit no linearization (its
 *       verdict is a {@link io.etcdkit.testing.check.LinearizabilityReport}, not a {@code CheckReport});</li>
 *   <li>{@link io.etcdkit.testing.check.SemaphoreChecker} — more holders inside than the limit;</li>
 *   <li>{@link io.etcdkit.testing.check.ViewConsistencyChecker} — a local copy of a prefix (a cached view) misses,
 *       invents or holds stale keys compared with the store at the same revision.</li>
 * </ul>
 *
 * <p>The checkers work on plain Java values (strings and longs), so this package does not depend on the etcdkit
 * library. All recorders are thread-safe; reports are deterministic (samples are sorted, counts are exact) and
 * keep at most {@link io.etcdkit.testing.check.Findings#SAMPLE_LIMIT} samples per kind of problem, so a badly
 * broken run still gives a readable report.
 */
package io.etcdkit.testing.check;
