package io.etcdkit.internal.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.etcd.jetcd.api.AlarmMember;
import io.etcd.jetcd.api.ClusterGrpc;
import io.etcd.jetcd.api.HashKVResponse;
import io.etcd.jetcd.api.MemberRemoveRequest;
import io.etcd.jetcd.api.MemberRemoveResponse;
import io.etcd.jetcd.api.StatusResponse;
import io.etcdkit.cluster.Alarm;
import io.etcdkit.cluster.AlarmType;
import io.etcdkit.cluster.KvHash;
import io.etcdkit.cluster.Member;
import io.etcdkit.cluster.MemberStatus;
import io.grpc.MethodDescriptor;
import java.util.ArrayList;
import java.util.List;

/** Conversions between the wire messages of the Cluster and Maintenance services and the public records. */
final class ClusterProtos {
    private ClusterProtos() {}

    /**
     * etcd 3.4's {@code Cluster/MemberPromote}, which the jetcd-grpc stubs lack. Its request
     * ({@code uint64 ID = 1}) and response ({@code header = 1, repeated Member members = 2}) have exactly the
     * wire shape of MemberRemove's, so that method's marshallers serve.
     */
    static final MethodDescriptor<MemberRemoveRequest, MemberRemoveResponse> MEMBER_PROMOTE =
            ClusterGrpc.getMemberRemoveMethod().toBuilder()
                    .setFullMethodName(MethodDescriptor.generateFullMethodName("etcdserverpb.Cluster", "MemberPromote"))
                    .setSchemaDescriptor(null)
                    .build();

    // StatusResponse fields of etcd 3.4 that the stubs lack; protobuf keeps them as unknown fields.
    private static final int STATUS_RAFT_APPLIED_INDEX = 7;
    private static final int STATUS_ERRORS = 8;
    private static final int STATUS_DB_SIZE_IN_USE = 9;
    private static final int STATUS_IS_LEARNER = 10;
    // AlarmType value of etcd 3.3+ that the stubs lack.
    private static final int ALARM_CORRUPT = 2;

    static Member member(io.etcd.jetcd.api.Member m) {
        return new Member(m.getID(), m.getName(), m.getPeerURLsList(), m.getClientURLsList(), m.getIsLearner());
    }

    static List<Member> members(List<io.etcd.jetcd.api.Member> list) {
        List<Member> out = new ArrayList<>(list.size());
        for (io.etcd.jetcd.api.Member m : list) {
            out.add(member(m));
        }
        return List.copyOf(out);
    }

    static MemberStatus status(String endpoint, StatusResponse r) {
        UnknownFieldSet u = r.getUnknownFields();
        List<String> errors = new ArrayList<>();
        if (u.hasField(STATUS_ERRORS)) {
            for (ByteString s : u.getField(STATUS_ERRORS).getLengthDelimitedList()) {
                errors.add(s.toStringUtf8());
            }
        }
        return new MemberStatus(endpoint, r.getHeader().getMemberId(), r.getVersion(), r.getDbSize(),
                varint(u, STATUS_DB_SIZE_IN_USE), r.getLeader(), r.getRaftTerm(), r.getRaftIndex(),
                varint(u, STATUS_RAFT_APPLIED_INDEX), varint(u, STATUS_IS_LEARNER) != 0, errors);
    }

    private static long varint(UnknownFieldSet u, int field) {
        if (!u.hasField(field)) {
            return 0;
        }
        List<Long> values = u.getField(field).getVarintList();
        return values.isEmpty() ? 0 : values.get(values.size() - 1);
    }

    static Alarm alarm(AlarmMember a) {
        return new Alarm(a.getMemberID(), alarmType(a.getAlarmValue()));
    }

    static AlarmType alarmType(int wire) {
        if (wire == io.etcd.jetcd.api.AlarmType.NOSPACE_VALUE) {
            return AlarmType.NOSPACE;
        }
        if (wire == ALARM_CORRUPT) {
            return AlarmType.CORRUPT;
        }
        return AlarmType.UNKNOWN;
    }

    static int wireAlarmType(AlarmType type) {
        switch (type) {
            case NOSPACE:
                return io.etcd.jetcd.api.AlarmType.NOSPACE_VALUE;
            case CORRUPT:
                return ALARM_CORRUPT;
            default:
                throw new IllegalArgumentException(type.toString());
        }
    }

    static KvHash hash(String endpoint, HashKVResponse r) {
        return new KvHash(endpoint, r.getHeader().getMemberId(), Integer.toUnsignedLong(r.getHash()),
                r.getCompactRevision(), r.getHeader().getRevision());
    }
}
