package io.etcdkit.testing.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Builds a {@link Findings}: counts every problem but keeps only the {@link Findings#SAMPLE_LIMIT} first ones in
 * the order (order, tie, text), so memory stays bounded however broken the history is.
 *
 * <p>Not thread-safe: used by one analysis thread, or under the owning checker's lock.
 */
final class FindingsCollector {

    private record Sample(long order, String tie, String text) {
    }

    private static final Comparator<Sample> ORDER = Comparator.comparingLong(Sample::order)
            .thenComparing(Sample::tie).thenComparing(Sample::text);

    private final String name;
    /** Max-heap of the smallest samples seen so far. */
    private final PriorityQueue<Sample> kept = new PriorityQueue<>(ORDER.reversed());
    private long count;

    FindingsCollector(String name) {
        this.name = name;
    }

    /**
     * Records one problem.
     *
     * @param order primary sort key (a revision, a register value, a sequence number)
     * @param tie   secondary sort key (a key or a holder name)
     * @param text  the description shown in reports
     */
    void add(long order, String tie, String text) {
        count++;
        Sample sample = new Sample(order, tie, text);
        if (kept.size() < Findings.SAMPLE_LIMIT) {
            kept.add(sample);
        } else if (ORDER.compare(sample, kept.peek()) < 0) {
            kept.poll();
            kept.add(sample);
        }
    }

    long count() {
        return count;
    }

    Findings build() {
        List<Sample> sorted = new ArrayList<>(kept);
        sorted.sort(ORDER);
        List<String> texts = new ArrayList<>(sorted.size());
        for (Sample sample : sorted) {
            texts.add(sample.text());
        }
        return new Findings(name, count, texts);
    }
}
