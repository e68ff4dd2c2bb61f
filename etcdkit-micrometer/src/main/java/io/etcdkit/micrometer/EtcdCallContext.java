package io.etcdkit.micrometer;

import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallOutcome;
import io.micrometer.observation.Observation;
import java.util.Objects;

/**
 * The {@link Observation.Context} of one etcd call, observed as {@code etcdkit.call}: which call it is, and once it
 * has ended, the member its last attempt went to and its outcome. The error the caller received is the context's
 * {@link #getError() error}. Handlers and conventions read it; etcdkit fills it.
 */
public final class EtcdCallContext extends Observation.Context {
    private final CallInfo call;
    private volatile String member;
    private volatile CallOutcome outcome;

    /**
     * A context for a call that is about to start.
     *
     * @param call which call
     */
    public EtcdCallContext(CallInfo call) {
        this.call = Objects.requireNonNull(call, "call");
    }

    /**
     * Which call this is.
     *
     * @return the call's service, method and whether it writes
     */
    public CallInfo call() {
        return call;
    }

    /**
     * The member the call's last attempt went to.
     *
     * @return its endpoint, e.g. {@code http://10.0.0.1:2379}; {@code null} until the call ended, or when it never
     *     reached a member
     */
    public String member() {
        return member;
    }

    /**
     * How the call ended.
     *
     * @return the outcome; {@code null} while the call runs
     */
    public CallOutcome outcome() {
        return outcome;
    }

    void ended(String member, CallOutcome outcome) {
        this.member = member;
        this.outcome = outcome;
    }
}
