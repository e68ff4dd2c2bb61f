package io.etcdkit.internal.observe;

import io.etcdkit.lease.LeaseState;
import io.etcdkit.observe.CallInfo;
import io.etcdkit.observe.CallListener;
import io.etcdkit.observe.CallOutcome;
import io.etcdkit.observe.EtcdListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners a client was built with, as one: each event goes to every listener in registration order, and an
 * exception thrown by one is logged once per listener and event and otherwise ignored, so a broken listener never
 * breaks a call or starves the others.
 *
 * <p>Internal API.
 */
public final class SafeListener implements EtcdListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    private final EtcdListener[] listeners;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private SafeListener(List<EtcdListener> listeners) {
        this.listeners = listeners.toArray(new EtcdListener[0]);
    }

    /** {@link EtcdListener#NONE} when {@code listeners} is empty, else one safe listener over all of them. */
    public static EtcdListener of(List<EtcdListener> listeners) {
        return listeners.isEmpty() ? EtcdListener.NONE : new SafeListener(List.copyOf(listeners));
    }

    private interface Event {
        void deliver(EtcdListener l);
    }

    private void each(String what, Event e) {
        for (EtcdListener l : listeners) {
            try {
                e.deliver(l);
            } catch (RuntimeException | LinkageError ex) {
                failed(l, what, ex);
            }
        }
    }

    void failed(Object listener, String what, Throwable ex) {
        if (reported.add(listener.getClass().getName() + "#" + what)) {
            LOG.warn("etcdkit listener {} threw from {}; the error is ignored (and further ones from this method "
                    + "are not logged)", listener.getClass().getName(), what, ex);
        }
    }

    @Override
    public CallListener callStarted(CallInfo call) {
        List<CallListener> calls = null;
        CallListener single = null;
        for (EtcdListener l : listeners) {
            CallListener c;
            try {
                c = l.callStarted(call);
            } catch (RuntimeException | LinkageError ex) {
                failed(l, "callStarted", ex);
                continue;
            }
            if (c == null || c == CallListener.NONE) {
                continue;
            }
            if (single == null) {
                single = c;
            } else {
                if (calls == null) {
                    calls = new ArrayList<>();
                    calls.add(single);
                }
                calls.add(c);
            }
        }
        if (single == null) {
            return CallListener.NONE;
        }
        return new SafeCall(calls == null ? new CallListener[] {single} : calls.toArray(new CallListener[0]));
    }

    private final class SafeCall implements CallListener {
        private final CallListener[] calls;

        SafeCall(CallListener[] calls) {
            this.calls = calls;
        }

        @Override
        public void attemptFailed(String member, CallOutcome outcome) {
            for (CallListener c : calls) {
                try {
                    c.attemptFailed(member, outcome);
                } catch (RuntimeException | LinkageError ex) {
                    failed(c, "attemptFailed", ex);
                }
            }
        }

        @Override
        public void ended(String member, CallOutcome outcome, long durationNanos, Throwable error) {
            for (CallListener c : calls) {
                try {
                    c.ended(member, outcome, durationNanos, error);
                } catch (RuntimeException | LinkageError ex) {
                    failed(c, "ended", ex);
                }
            }
        }
    }

    @Override
    public void memberAvoided(String member, String reason) {
        each("memberAvoided", l -> l.memberAvoided(member, reason));
    }

    @Override
    public void memberRecovered(String member) {
        each("memberRecovered", l -> l.memberRecovered(member));
    }

    @Override
    public void watchStreamConnected(String member) {
        each("watchStreamConnected", l -> l.watchStreamConnected(member));
    }

    @Override
    public void watchStreamDisconnected(String member, String reason) {
        each("watchStreamDisconnected", l -> l.watchStreamDisconnected(member, reason));
    }

    @Override
    public void watcherOpened() {
        each("watcherOpened", EtcdListener::watcherOpened);
    }

    @Override
    public void watcherClosed() {
        each("watcherClosed", EtcdListener::watcherClosed);
    }

    @Override
    public void watchEventsDelivered(int count) {
        each("watchEventsDelivered", l -> l.watchEventsDelivered(count));
    }

    @Override
    public void watchCompacted(long compactRevision) {
        each("watchCompacted", l -> l.watchCompacted(compactRevision));
    }

    @Override
    public void watchResyncStarted() {
        each("watchResyncStarted", EtcdListener::watchResyncStarted);
    }

    @Override
    public void leaseStateChanged(long leaseId, LeaseState previous, LeaseState current) {
        each("leaseStateChanged", l -> l.leaseStateChanged(leaseId, previous, current));
    }

    @Override
    public void keepAliveFailed(String reason) {
        each("keepAliveFailed", l -> l.keepAliveFailed(reason));
    }

    @Override
    public void lockAcquired(String lock, Duration waited) {
        each("lockAcquired", l -> l.lockAcquired(lock, waited));
    }

    @Override
    public void lockReleased(String lock, Duration held) {
        each("lockReleased", l -> l.lockReleased(lock, held));
    }

    @Override
    public void queueWaiterWoken(String queue) {
        each("queueWaiterWoken", l -> l.queueWaiterWoken(queue));
    }

    @Override
    public void leadershipChanged(String election, boolean leader) {
        each("leadershipChanged", l -> l.leadershipChanged(election, leader));
    }

    @Override
    public void cacheOpened(String cache, IntSupplier size) {
        each("cacheOpened", l -> l.cacheOpened(cache, size));
    }

    @Override
    public void cacheConnectionChanged(String cache, boolean connected) {
        each("cacheConnectionChanged", l -> l.cacheConnectionChanged(cache, connected));
    }

    @Override
    public void cacheClosed(String cache) {
        each("cacheClosed", l -> l.cacheClosed(cache));
    }

    @Override
    public void registryChanged(String service, int instances) {
        each("registryChanged", l -> l.registryChanged(service, instances));
    }
}
