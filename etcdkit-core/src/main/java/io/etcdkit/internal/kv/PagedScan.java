package io.etcdkit.internal.kv;

import io.etcdkit.Bytes;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a large range in pages, all at the revision the first page saw, so the pages together are one
 * snapshot. Each next page starts just after the last key received.
 */
final class PagedScan implements Iterator<KeyValue> {
    private static final byte[] ZERO = {0};

    private final Kv kv;
    private Range next;
    private long revision;
    private List<KeyValue> page = List.of();
    private int index;
    private boolean more = true;

    private PagedScan(Kv kv, Range first, int pageSize) {
        this.kv = kv;
        this.next = first.limit(pageSize);
        this.revision = first.revision();
    }

    static Stream<KeyValue> stream(Kv kv, Range range, int pageSize) {
        check(range, pageSize);
        if (range.isSingleKey()) {
            return kv.range(range).kvs().stream();
        }
        PagedScan scan = new PagedScan(kv, range, pageSize);
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(scan,
                Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.DISTINCT), false);
    }

    /** Rejects what a paged scan (blocking or async) cannot do, with what to use instead. */
    static void check(Range range, int pageSize) {
        if (pageSize < 1) {
            throw new InvalidArgumentException("pageSize must be at least 1, got " + pageSize);
        }
        if (range.sortTarget().isPresent() || range.limitValue() > 0 || range.isCountOnly()) {
            throw new InvalidArgumentException("a paged scan reads in key order and cannot be sorted, limited or "
                    + "count-only; use range(..) for those");
        }
    }

    @Override
    public boolean hasNext() {
        while (index >= page.size()) {
            if (!more) {
                return false;
            }
            fetch();
        }
        return true;
    }

    @Override
    public KeyValue next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.get(index++);
    }

    private void fetch() {
        Range r = revision > 0 ? next.atRevision(revision) : next;
        RangeResult result = kv.range(r);
        if (revision == 0) {
            revision = result.revision();
        }
        page = result.kvs();
        index = 0;
        more = result.more() && !page.isEmpty();
        if (more) {
            Bytes last = page.get(page.size() - 1).key();
            next = next.startingAt(last.concat(Bytes.of(ZERO)));
        }
    }
}
