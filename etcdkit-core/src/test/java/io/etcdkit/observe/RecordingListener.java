package io.etcdkit.observe;

import io.etcdkit.lease.LeaseState;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener for tests that records what core reports: rare events (members, watch streams, compactions, leases)
 * in arrival order, frequent ones (watchers, delivered events) as counters.
 */
public final class RecordingListener implements EtcdListener {
    /**
     * One recorded event.
     *
     * @param kind the SPI method's name, e.g. {@code memberAvoided}
     * @param subject what it is about: a member, a lease id, a compact revision; empty when nothing
     * @param detail the rest: a reason, {@code ALIVE->REVOKED}; empty when nothing
     */
    public record Event(String kind, String subject, String detail) {
    }

    private final List<Event> events = new CopyOnWriteArrayList<>();
    /** Watchers opened so far. */
    public final AtomicInteger watchersOpened = new AtomicInteger();
    /** Watchers closed or ended so far. */
    public final AtomicInteger watchersClosed = new AtomicInteger();
    /** Puts and deletes handed to consumers so far. */
    public final AtomicLong eventsDelivered = new AtomicLong();
    /** Hand-over batches reported so far. */
    public final AtomicInteger deliveries = new AtomicInteger();

    /** Every rare event so far, in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The events of one kind, in order. */
    public List<Event> events(String kind) {
        return events.stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** The events of one kind about one subject, in order. */
    public List<Event> events(String kind, String subject) {
        return events.stream().filter(e -> e.kind().equals(kind) && e.subject().equals(subject)).toList();
    }

    /** The kinds of the events about one subject, in order, e.g. {@code [memberAvoided, memberRecovered]}. */
    public List<String> kindsAbout(String subject) {
        return events.stream().filter(e -> e.subject().equals(subject)).map(Event::kind).toList();
    }

    private void add(String kind, Object subject, String detail) {
        events.add(new Event(kind, String.valueOf(subject), detail == null ? "" : detail));
    }

    @Override
    public void memberAvoided(String member, String reason) {
        add("memberAvoided", member, reason);
    }

    @Override
    public void memberRecovered(String member) {
        add("memberRecovered", member, "");
    }

    @Override
    public void watchStreamConnected(String member) {
        add("watchStreamConnected", member, "");
    }

    @Override
    public void watchStreamDisconnected(String member, String reason) {
        add("watchStreamDisconnected", member, reason);
    }

    @Override
    public void watcherOpened() {
        watchersOpened.incrementAndGet();
    }

    @Override
    public void watcherClosed() {
        watchersClosed.incrementAndGet();
    }

    @Override
    public void watchEventsDelivered(int count) {
        deliveries.incrementAndGet();
        eventsDelivered.addAndGet(count);
    }

    @Override
    public void watchCompacted(long compactRevision) {
        add("watchCompacted", compactRevision, "");
    }

    @Override
    public void watchResyncStarted() {
        add("watchResyncStarted", "", "");
    }

    @Override
    public void leaseStateChanged(long leaseId, LeaseState previous, LeaseState current) {
        add("leaseStateChanged", leaseId, previous + "->" + current);
    }

    @Override
    public void keepAliveFailed(String reason) {
        add("keepAliveFailed", "", reason);
    }
}
