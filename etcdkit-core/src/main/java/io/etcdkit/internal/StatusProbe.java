package io.etcdkit.internal;

import io.etcd.jetcd.api.MaintenanceGrpc;
import io.etcd.jetcd.api.StatusRequest;
import io.etcd.jetcd.api.StatusResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One {@code Status} call to one member with a short deadline, as a plain gRPC call: no retry, and the client's
 * call listener does not hear it. Used to tell whether a member answers and who it thinks leads.
 */
final class StatusProbe {
    private StatusProbe() {}

    /**
     * Sends the call; {@code done} gets the response (or null) and the closing status, on a gRPC callback thread
     * (the channel's executor); it must be short.
     *
     * @param requireLeader whether a member without a leader should refuse ("no leader") instead of answering
     */
    static void send(Member member, long deadlineNanos, String token, boolean requireLeader,
            BiConsumer<StatusResponse, Status> done) {
        try {
            ClientCall<StatusRequest, StatusResponse> call = member.channel.newCall(MaintenanceGrpc.getStatusMethod(),
                    CallOptions.DEFAULT.withDeadlineAfter(deadlineNanos, TimeUnit.NANOSECONDS));
            call.start(new ClientCall.Listener<>() {
                private StatusResponse response;

                @Override
                public void onMessage(StatusResponse message) {
                    response = message;
                }

                @Override
                public void onClose(Status status, Metadata trailers) {
                    done.accept(status.isOk() ? response : null, status);
                }
            }, Headers.of(token, requireLeader));
            call.request(1);
            call.sendMessage(StatusRequest.getDefaultInstance());
            call.halfClose();
        } catch (RuntimeException e) {
            done.accept(null, Status.fromThrowable(e)); // e.g. the channel is shutting down
        }
    }
}
