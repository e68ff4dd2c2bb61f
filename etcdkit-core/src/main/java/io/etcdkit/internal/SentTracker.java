package io.etcdkit.internal;

import io.grpc.ClientStreamTracer;
import io.grpc.Metadata;

/**
 * Records whether an attempt's request message was handed to a real transport stream. Until it is, the
 * request cannot have reached any server, so even a write may be retried after a failure.
 */
final class SentTracker extends ClientStreamTracer.Factory {
    private volatile boolean sent;

    boolean mayHaveReachedServer() {
        return sent;
    }

    @Override
    public ClientStreamTracer newClientStreamTracer(ClientStreamTracer.StreamInfo info, Metadata headers) {
        return new ClientStreamTracer() {
            @Override
            public void outboundMessage(int seqNo) {
                sent = true;
            }
        };
    }
}
