package io.etcdkit.internal.cluster;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.SnapshotRequest;
import io.etcd.jetcd.api.SnapshotResponse;
import io.etcdkit.EtcdException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.cluster.SnapshotInfo;
import io.etcdkit.internal.ErrorMapper;
import io.etcdkit.internal.Futures;
import io.etcdkit.internal.Transport;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;

/**
 * One snapshot download: the server-streaming Snapshot call to one member, written chunk by chunk (with gRPC
 * flow control, one message at a time) into a temporary file next to the destination, then verified against
 * the SHA-256 digest etcd appends, forced to disk and renamed atomically.
 *
 * <p>Listener callbacks run on the client's callback executor (the channel's executor), one at a time per
 * call. Before any data has arrived, an unreachable member is replaced by another and a refused auth token by
 * a fresh one; a failure after data arrived fails the download.
 */
final class SnapshotDownload {
    private static final int DIGEST_SIZE = 32;
    private static final int MAX_TOKEN_REFRESHES = 2;

    private final Transport transport;
    private final Path target;
    private final LongConsumer progress;
    private final long deadlineNanos;
    private final CompletableFuture<SnapshotInfo> result = new CompletableFuture<>();

    private Path temp;
    private FileChannel out;
    private MessageDigest digest;
    private final byte[] tail = new byte[DIGEST_SIZE];
    private int tailLength;
    private long written;
    private int attempts;
    private int tokenRefreshes;
    private volatile ClientCall<SnapshotRequest, SnapshotResponse> current;
    /**
     * Held while a call is published and started, and by a cancelling caller while it reads the call: a cancel
     * that reaches a gRPC call concurrently with its start can be lost (the call then runs on), so the two never
     * overlap.
     */
    private final ReentrantLock starting = new ReentrantLock();
    private boolean cleanedUp;

    SnapshotDownload(Transport transport, Path file, LongConsumer progress, Duration deadline) {
        this.transport = transport;
        this.target = file.toAbsolutePath();
        this.progress = progress;
        this.deadlineNanos = System.nanoTime() + deadline.toNanos();
    }

    CompletableFuture<SnapshotInfo> start() {
        Path dir = target.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return Futures.failed(new InvalidArgumentException("cannot save a snapshot to " + target + ": the "
                    + "directory " + dir + " does not exist; create it first"));
        }
        if (Files.isDirectory(target)) {
            return Futures.failed(new InvalidArgumentException("cannot save a snapshot to " + target + ": it is a "
                    + "directory; give a file name"));
        }
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
            out = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | SecurityException e) {
            deleteTemp();
            return Futures.failed(new InvalidArgumentException("cannot save a snapshot to " + target + ": cannot "
                    + "create a file in " + dir + " (" + e + "); check the directory's permissions and free space",
                    e));
        }
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                ClientCall<?, ?> c;
                starting.lock(); // never cancel a call while it is starting: gRPC would lose that cancel
                try {
                    c = current;
                } finally {
                    starting.unlock();
                }
                if (c != null) {
                    c.cancel("the snapshot was cancelled by the caller", null);
                }
            }
        });
        attempt(null);
        return result;
    }

    private void attempt(Transport.StreamTarget avoid) {
        attempts++;
        Transport.StreamTarget member = transport.streamTarget(avoid);
        transport.streamHeaders().whenComplete((headers, error) -> transport.callbackExecutor().execute(() -> {
            if (error != null) {
                fail(Futures.unwrap(error));
            } else {
                open(member, headers);
            }
        }));
    }

    private void open(Transport.StreamTarget member, Metadata headers) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining <= 0) {
            fail(ErrorMapper.toException(Status.DEADLINE_EXCEEDED, operation(), member.endpoint()));
            return;
        }
        ClientCall<SnapshotRequest, SnapshotResponse> call = member.channel().newCall(
                MaintenanceGrpc.getSnapshotMethod(),
                CallOptions.DEFAULT.withDeadlineAfter(remaining, TimeUnit.NANOSECONDS));
        starting.lock();
        try {
            if (result.isDone()) {
                cleanUp();
                return;
            }
            current = call;
            call.start(new Listener(call, member, headers), headers);
        } catch (RuntimeException e) {
            call.cancel("failed to start the snapshot call", e);
            fail(e); // no listener will close
            return;
        } finally {
            starting.unlock();
        }
        // A cancel from here on finds the call started and cancels it; its listener's close cleans up.
        try {
            call.request(1);
            call.sendMessage(SnapshotRequest.getDefaultInstance());
            call.halfClose();
        } catch (RuntimeException e) {
            call.cancel("failed to start the snapshot call", e); // the listener's close reports it
        }
    }

    private String operation() {
        return "save a snapshot to " + target;
    }

    private final class Listener extends ClientCall.Listener<SnapshotResponse> {
        private final ClientCall<SnapshotRequest, SnapshotResponse> call;
        private final Transport.StreamTarget member;
        private final Metadata headers;
        private Throwable localFailure;

        Listener(ClientCall<SnapshotRequest, SnapshotResponse> call, Transport.StreamTarget member,
                Metadata headers) {
            this.call = call;
            this.member = member;
            this.headers = headers;
        }

        @Override
        public void onMessage(SnapshotResponse message) {
            if (localFailure != null) {
                return;
            }
            if (result.isDone()) { // cancelled by the caller: stop downloading; onClose cleans up
                call.cancel("the snapshot was cancelled by the caller", null);
                return;
            }
            try {
                write(message.getBlob().asReadOnlyByteBuffer());
            } catch (IOException e) {
                localFailure = new EtcdException(operation() + " failed: cannot write " + temp + " (" + e
                        + "); check free space and permissions", e);
                call.cancel("local write failed", e);
                return;
            }
            try {
                progress.accept(written);
            } catch (RuntimeException e) {
                localFailure = new EtcdException(operation() + " was abandoned: the progress callback threw " + e, e);
                call.cancel("progress callback failed", e);
                return;
            }
            call.request(1);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            if (localFailure != null) {
                fail(localFailure);
                return;
            }
            if (result.isDone()) { // cancelled by the caller
                cleanUp();
                return;
            }
            if (status.isOk()) {
                member.succeeded();
                finish(member);
                return;
            }
            String d = status.getDescription() == null ? "" : status.getDescription();
            boolean nothingYet = written == 0;
            boolean timeLeft = deadlineNanos - System.nanoTime() > 0;
            if (nothingYet && timeLeft && status.getCode() == Status.Code.UNAUTHENTICATED
                    && d.contains("invalid auth token") && tokenRefreshes++ < MAX_TOKEN_REFRESHES) {
                transport.tokenRejected(headers);
                attempt(null);
                return;
            }
            boolean transportFailure = status.getCode() == Status.Code.UNAVAILABLE && !d.startsWith("etcdserver:")
                    || d.startsWith("etcdserver: no leader");
            if (transportFailure) {
                member.failed();
            }
            if (nothingYet && timeLeft && transportFailure && attempts <= transport.endpoints().size()) {
                attempt(member);
                return;
            }
            fail(ErrorMapper.toException(status, operation() + (written == 0 ? "" : " (after " + written
                    + " bytes)"), member.endpoint()));
        }
    }

    /** Writes a chunk and feeds the digest all but the last 32 bytes seen so far (etcd's appended digest). */
    private void write(ByteBuffer chunk) throws IOException {
        int n = chunk.remaining();
        if (n == 0) {
            return;
        }
        byte[] bytes = new byte[n];
        chunk.get(bytes);
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        written += n;
        byte[] combined = new byte[tailLength + n];
        System.arraycopy(tail, 0, combined, 0, tailLength);
        System.arraycopy(bytes, 0, combined, tailLength, n);
        int hashable = combined.length - DIGEST_SIZE;
        if (hashable > 0) {
            digest.update(combined, 0, hashable);
            System.arraycopy(combined, hashable, tail, 0, DIGEST_SIZE);
            tailLength = DIGEST_SIZE;
        } else {
            System.arraycopy(combined, 0, tail, 0, combined.length);
            tailLength = combined.length;
        }
    }

    private void finish(Transport.StreamTarget member) {
        byte[] computed = digest.digest();
        // etcd sends the database (a multiple of bolt's 512-byte alignment) followed by its SHA-256.
        if (tailLength != DIGEST_SIZE || (written - DIGEST_SIZE) % 512 != 0
                || !Arrays.equals(computed, tail)) {
            fail(new EtcdException(operation() + " failed: the " + written + " bytes received from "
                    + member.endpoint() + " do not end with the SHA-256 digest of the data before them, so the "
                    + "snapshot is truncated or corrupt; nothing was saved. Retry"));
            return;
        }
        try {
            out.force(true);
            out.close();
            if (result.isDone()) { // cancelled by the caller after the last chunk: keep the target as it was
                cleanUp();
                return;
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(target.getParent());
        } catch (IOException e) {
            fail(new EtcdException(operation() + " failed while saving the received data (" + e + "); check free "
                    + "space and permissions. " + target + " was left unchanged", e));
            return;
        }
        cleanedUp = true;
        if (!result.complete(new SnapshotInfo(target, written, HexFormat.of().formatHex(computed),
                member.endpoint().toString()))) {
            // Cancelled between the check above and the move: the caller was told there is no snapshot, so the
            // file it would not know about is removed (SnapshotCancelTest found such files on Java 25).
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // best effort: the caller's cancel already succeeded
            }
        }
    }

    /** Makes the rename durable; not every platform can open a directory, which is then skipped. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | RuntimeException ignored) {
            // e.g. Windows: directories cannot be opened; the rename is durable on its own terms there.
        }
    }

    private void fail(Throwable error) {
        cleanUp();
        result.completeExceptionally(error instanceof EtcdException ? error
                : new EtcdException(operation() + " failed: " + error, error));
    }

    private void cleanUp() {
        if (cleanedUp) {
            return;
        }
        cleanedUp = true;
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException ignored) {
            // the file is deleted next
        }
        deleteTemp();
    }

    private void deleteTemp() {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // nothing more to do; the name starts with '.' and ends with '.part'
            }
        }
    }
}
