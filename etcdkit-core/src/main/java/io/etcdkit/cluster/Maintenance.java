package io.etcdkit.cluster;

import io.etcdkit.internal.Futures;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;

/**
 * Maintenance: member status, leader, alarms, compaction, defragmentation, hashes, snapshots and leader
 * transfer.
 *
 * <p>Every operation has a blocking form and a {@code ...Async} form whose future completes on the client's
 * callback executor. Blocking forms throw the typed {@link io.etcdkit.EtcdException} subclasses; async forms
 * complete exceptionally with them. Calls have the view's deadline unless stated otherwise.
 *
 * <p>Operations on one member take its endpoint as a string, e.g. {@code "https://10.0.0.1:2379"}; it must be
 * one of the client's configured endpoints (a {@code host:port} form matches the configured endpoint with that
 * host and port), otherwise the call fails with {@link io.etcdkit.InvalidArgumentException}. Such calls go to
 * that member only and are never moved to another one.
 *
 * <p>These calls act on the whole cluster: the view's namespace does not apply. With authentication on,
 * everything but status, alarms and leader needs the {@code root} role. Thread-safe.
 */
public interface Maintenance {

    /**
     * The status of every configured endpoint, in the configured order, asked in parallel. Fails if any endpoint
     * does not answer (the exception names it, further failures are attached as suppressed); use
     * {@link #status(String)} per endpoint to tolerate members that are down.
     *
     * @return the status of every configured endpoint, in the configured order, asked in parallel
     */
    CompletableFuture<List<MemberStatus>> statusAsync();

    /**
     * Blocking form of {@link #statusAsync()}.
     *
     * @return what {@link #statusAsync()} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<MemberStatus> status() {
        return Futures.await(statusAsync());
    }

    /**
     * The status of one member. The member answers even when it has no leader (then
     * {@link MemberStatus#hasLeader()} is false).
     *
     * @param endpoint the member's endpoint URL
     * @return the status of one member
     */
    CompletableFuture<MemberStatus> statusAsync(String endpoint);

    /**
     * Blocking form of {@link #statusAsync(String)}.
     *
     * @param endpoint the member's endpoint URL
     * @return what {@link #statusAsync(String)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default MemberStatus status(String endpoint) {
        return Futures.await(statusAsync(endpoint));
    }

    /**
     * The current leader. Every configured endpoint is asked for its status; as soon as a member says it leads,
     * that is the answer. Otherwise, once every endpoint has answered or failed (a member that is down delays the
     * answer up to the connect timeout), the report with the highest raft term wins. Fails with
     * {@link io.etcdkit.NoLeaderException} when no answering member knows a leader, and with the first failure
     * when no member answers.
     *
     * @return the current leader
     */
    CompletableFuture<Member> leaderAsync();

    /**
     * Blocking form of {@link #leaderAsync()}.
     *
     * @return what {@link #leaderAsync()} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default Member leader() {
        return Futures.await(leaderAsync());
    }

    /**
     * Every active alarm of every member; empty when the cluster is healthy.
     *
     * @return every active alarm of every member; empty when the cluster is healthy
     */
    CompletableFuture<List<Alarm>> alarmsAsync();

    /**
     * Blocking form of {@link #alarmsAsync()}.
     *
     * @return what {@link #alarmsAsync()} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default List<Alarm> alarms() {
        return Futures.await(alarmsAsync());
    }

    /**
     * Clears an alarm, e.g. {@link AlarmType#NOSPACE} after space was reclaimed; true when it was active, false
     * when it was not (harmless to repeat). A member that still lacks space raises it again.
     *
     * @param alarm the alarm
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<Boolean> disarmAsync(Alarm alarm);

    /**
     * Blocking form of {@link #disarmAsync(Alarm)}.
     *
     * @param alarm the alarm
     * @return what {@link #disarmAsync(Alarm)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default boolean disarm(Alarm alarm) {
        return Futures.await(disarmAsync(alarm));
    }

    /**
     * Discards the key-value history before {@code revision}: reads and watches at older revisions then fail
     * with {@link io.etcdkit.CompactedException}. With {@code physical}, the call returns only once the members
     * have removed the history from their backends (so a following {@link #defragment(String)} reclaims the
     * space).
     *
     * <p>A revision above the cluster's current one fails with {@link io.etcdkit.InvalidArgumentException}; one
     * at or below the current compaction point with {@link io.etcdkit.CompactedException} (nothing to do). If
     * the answer is lost the call fails with {@link io.etcdkit.OutcomeUnknownException}.
     *
     * @param revision the revision
     * @param physical whether to wait until every member has removed the history from its backend
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> compactAsync(long revision, boolean physical);

    /**
     * Blocking form of {@link #compactAsync(long, boolean)}.
     *
     * @param revision the revision
     * @param physical whether to wait until every member has removed the history from its backend
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void compact(long revision, boolean physical) {
        Futures.await(compactAsync(revision, physical));
    }

    /**
     * Defragments one member's backend, giving the space freed by compaction back to the file system. The
     * member stops serving while it runs (seconds to minutes for large databases), so defragment members one at
     * a time. Its deadline is the longer of the view's deadline and 5 minutes.
     *
     * @param endpoint the member's endpoint URL
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> defragmentAsync(String endpoint);

    /**
     * Blocking form of {@link #defragmentAsync(String)}.
     *
     * @param endpoint the member's endpoint URL
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void defragment(String endpoint) {
        Futures.await(defragmentAsync(endpoint));
    }

    /**
     * The hash of one member's key-value history up to {@code revision} (0: its current revision). Members that
     * are consistent give the same hash for the same revision. A revision already compacted fails with
     * {@link io.etcdkit.CompactedException}; a future one with {@link io.etcdkit.InvalidArgumentException}.
     *
     * @param endpoint the member's endpoint URL
     * @param revision the revision
     * @return the hash of one member's key-value history up to {@code revision} (0: its current revision)
     */
    CompletableFuture<KvHash> hashKvAsync(String endpoint, long revision);

    /**
     * Blocking form of {@link #hashKvAsync(String, long)}.
     *
     * @param endpoint the member's endpoint URL
     * @param revision the revision
     * @return what {@link #hashKvAsync(String, long)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default KvHash hashKv(String endpoint, long revision) {
        return Futures.await(hashKvAsync(endpoint, revision));
    }

    /**
     * Saves a snapshot of the backend of some member to {@code file}. The data is streamed into a temporary
     * file in the same directory, the digest etcd appends is verified, the file is forced to disk and then
     * renamed atomically to {@code file} (replacing it), so {@code file} is either the complete snapshot or
     * untouched. On any failure, and when the returned future is cancelled, the temporary file is deleted.
     *
     * <p>{@code bytesWritten} is called on the callback executor after each chunk with the number of bytes
     * written so far; if it throws, the snapshot is abandoned with that error. The deadline is the longer of the
     * view's deadline and 5 minutes; when no data has arrived yet, an unreachable member is replaced by another.
     *
     * @param file the destination; its directory must exist
     * @param bytesWritten progress callback
     * @return a future completed with the result, or exceptionally with the failure
     */
    CompletableFuture<SnapshotInfo> snapshotAsync(Path file, LongConsumer bytesWritten);

    /**
     * {@link #snapshotAsync(Path, LongConsumer)} without progress.
     *
     * @param file the file
     * @return as {@link #snapshotAsync(Path, LongConsumer)}
     */
    default CompletableFuture<SnapshotInfo> snapshotAsync(Path file) {
        return snapshotAsync(file, n -> { });
    }

    /**
     * Blocking form of {@link #snapshotAsync(Path, LongConsumer)}.
     *
     * @param file the file
     * @param bytesWritten called with the bytes written so far
     * @return what {@link #snapshotAsync(Path, LongConsumer)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default SnapshotInfo snapshot(Path file, LongConsumer bytesWritten) {
        return Futures.await(snapshotAsync(file, bytesWritten));
    }

    /**
     * Blocking form of {@link #snapshotAsync(Path)}.
     *
     * @param file the file
     * @return what {@link #snapshotAsync(Path)} completes with
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default SnapshotInfo snapshot(Path file) {
        return Futures.await(snapshotAsync(file));
    }

    /**
     * Hands leadership to voting member {@code targetMemberId}. The request goes to the current leader, which
     * must be one of the client's endpoints (otherwise {@link io.etcdkit.InvalidArgumentException}); if
     * leadership changes meanwhile, the request is sent again to the new leader. When the call returns the
     * transfer is done; moving leadership to the current leader does nothing. A target that cannot lead (unknown,
     * learner) is an {@link io.etcdkit.InvalidArgumentException}.
     *
     * @param targetMemberId the target member id
     * @return a future that completes when this is done, or exceptionally with the failure
     */
    CompletableFuture<Void> moveLeaderAsync(long targetMemberId);

    /**
     * Blocking form of {@link #moveLeaderAsync(long)}.
     *
     * @param targetMemberId the target member id
     * @throws io.etcdkit.EtcdException when the call failed within the deadline (a typed subclass says why)
     */
    default void moveLeader(long targetMemberId) {
        Futures.await(moveLeaderAsync(targetMemberId));
    }
}
