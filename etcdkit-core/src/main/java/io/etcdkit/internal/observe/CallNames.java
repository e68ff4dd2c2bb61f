package io.etcdkit.internal.observe;

import io.etcdkit.observe.CallInfo;
import io.grpc.MethodDescriptor;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link CallInfo} of each gRPC method, made once per method and kind: a call with a listener costs a map
 * lookup, not string work. Internal API.
 */
public final class CallNames {
    private static final ConcurrentHashMap<String, CallInfo> READS = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<String, CallInfo> WRITES = new ConcurrentHashMap<>();

    private CallNames() {
    }

    /** The info for {@code method}, a write or not. */
    public static CallInfo of(MethodDescriptor<?, ?> method, boolean write) {
        return (write ? WRITES : READS).computeIfAbsent(method.getFullMethodName(), full -> {
            String service = method.getServiceName();
            String bare = method.getBareMethodName();
            if (service != null) {
                int dot = service.lastIndexOf('.');
                service = dot >= 0 ? service.substring(dot + 1) : service;
            }
            return new CallInfo(service == null ? "unknown" : service, bare == null ? full : bare, write);
        });
    }
}
