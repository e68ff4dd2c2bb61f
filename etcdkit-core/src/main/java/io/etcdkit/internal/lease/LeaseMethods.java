package io.etcdkit.internal.lease;

import com.google.protobuf.CodedInputStream;
import io.etcd.jetcd.api.LeaseGrpc;
import io.etcd.jetcd.api.LeaseRevokeRequest;
import io.etcd.jetcd.api.LeaseRevokeResponse;
import io.grpc.MethodDescriptor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Method descriptors the generated stubs do not provide as needed.
 *
 * <p>{@code io.etcd:jetcd-grpc} 0.8.5 lacks {@code Lease.LeaseLeases} (etcd 3.3+), so its descriptor is built
 * here with a hand-written codec for {@code LeaseLeasesRequest {}} and
 * {@code LeaseLeasesResponse { ResponseHeader header = 1; repeated LeaseStatus leases = 2; }} with
 * {@code LeaseStatus { int64 ID = 1; }}.
 */
final class LeaseMethods {
    private LeaseMethods() {}

    /** The empty {@code LeaseLeasesRequest}. */
    static final class LeasesRequest {
        static final LeasesRequest INSTANCE = new LeasesRequest();

        private LeasesRequest() {}
    }

    /** {@code etcdserverpb.Lease/LeaseLeases}, answering the lease ids. */
    static final MethodDescriptor<LeasesRequest, List<Long>> LEASE_LEASES =
            MethodDescriptor.<LeasesRequest, List<Long>>newBuilder()
                    .setType(MethodDescriptor.MethodType.UNARY)
                    .setFullMethodName(MethodDescriptor.generateFullMethodName(LeaseGrpc.SERVICE_NAME, "LeaseLeases"))
                    .setRequestMarshaller(new MethodDescriptor.Marshaller<>() {
                        @Override
                        public InputStream stream(LeasesRequest value) {
                            return new ByteArrayInputStream(new byte[0]);
                        }

                        @Override
                        public LeasesRequest parse(InputStream stream) {
                            return LeasesRequest.INSTANCE;
                        }
                    })
                    .setResponseMarshaller(new MethodDescriptor.Marshaller<>() {
                        @Override
                        public InputStream stream(List<Long> value) {
                            throw new UnsupportedOperationException("client side only");
                        }

                        @Override
                        public List<Long> parse(InputStream stream) {
                            try {
                                return parseLeases(CodedInputStream.newInstance(stream));
                            } catch (IOException e) {
                                throw new UncheckedIOException("malformed LeaseLeasesResponse", e);
                            }
                        }
                    })
                    .build();

    /** Field 2 ({@code leases}), length-delimited. */
    private static final int LEASES_TAG = (2 << 3) | 2;
    /** Field 1 ({@code ID}), varint. */
    private static final int ID_TAG = (1 << 3);

    static List<Long> parseLeases(CodedInputStream in) throws IOException {
        List<Long> ids = new ArrayList<>();
        while (true) {
            int tag = in.readTag();
            if (tag == 0) {
                return ids;
            }
            if (tag == LEASES_TAG) {
                int limit = in.pushLimit(in.readRawVarint32());
                long id = 0;
                while (true) {
                    int t = in.readTag();
                    if (t == 0) {
                        break;
                    }
                    if (t == ID_TAG) {
                        id = in.readInt64();
                    } else if (!in.skipField(t)) {
                        break;
                    }
                }
                in.popLimit(limit);
                ids.add(id);
            } else if (!in.skipField(tag)) {
                return ids;
            }
        }
    }

    /**
     * The revoke method with a request codec that counts how often the request was serialized, i.e. how many
     * attempts were handed to the transport (gRPC's own retries are off). More than one means an earlier
     * attempt may have revoked the lease before a retry found it gone.
     */
    static MethodDescriptor<LeaseRevokeRequest, LeaseRevokeResponse> countingRevoke(AtomicInteger attempts) {
        MethodDescriptor<LeaseRevokeRequest, LeaseRevokeResponse> m = LeaseGrpc.getLeaseRevokeMethod();
        MethodDescriptor.Marshaller<LeaseRevokeRequest> inner = m.getRequestMarshaller();
        return m.toBuilder(new MethodDescriptor.Marshaller<LeaseRevokeRequest>() {
            @Override
            public InputStream stream(LeaseRevokeRequest value) {
                attempts.incrementAndGet();
                return inner.stream(value);
            }

            @Override
            public LeaseRevokeRequest parse(InputStream stream) {
                return inner.parse(stream);
            }
        }, m.getResponseMarshaller()).build();
    }
}
