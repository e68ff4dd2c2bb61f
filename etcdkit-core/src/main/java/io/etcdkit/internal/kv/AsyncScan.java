package io.etcdkit.internal.kv;

import io.etcdkit.Bytes;
import io.etcdkit.KeyValue;
import io.etcdkit.internal.Futures;
import io.etcdkit.kv.Kv;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The async form of {@link PagedScan}: the same pages at the revision the first page saw, each next page
 * requested from the previous page's callback, so no thread waits. Collects everything into one list.
 */
public final class AsyncScan {
    private static final byte[] ZERO = {0};

    private AsyncScan() {}

    /** Every key-value in {@code range}, read in pages of {@code pageSize} at one revision. */
    public static CompletableFuture<List<KeyValue>> all(Kv kv, Range range, int pageSize) {
        try {
            PagedScan.check(range, pageSize);
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        if (range.isSingleKey()) {
            return kv.rangeAsync(range).thenApply(RangeResult::kvs);
        }
        List<KeyValue> out = new ArrayList<>();
        return pages(kv, range.limit(pageSize), range.revision(), out).thenApply(done -> List.copyOf(out));
    }

    /** Every key matching {@code glob} (see {@link Kv#keysMatching(String)}), read as keys only. */
    public static CompletableFuture<List<Bytes>> keysMatching(Kv kv, String glob) {
        Glob g;
        try {
            g = Glob.parse(glob);
        } catch (RuntimeException e) {
            return Futures.failed(e);
        }
        return all(kv, Range.prefix(g.literalPrefix()).keysOnly(), 5000).thenApply(kvs -> kvs.stream()
                .map(KeyValue::key).filter(k -> g.matches(k.toStringUtf8())).toList());
    }

    /** Reads {@code range} and the pages after it, all at the first page's revision, into {@code out}. */
    private static CompletableFuture<Void> pages(Kv kv, Range range, long revision, List<KeyValue> out) {
        return kv.rangeAsync(revision > 0 ? range.atRevision(revision) : range).thenCompose(page -> {
            out.addAll(page.kvs());
            if (!page.more() || page.kvs().isEmpty()) {
                return CompletableFuture.completedFuture(null);
            }
            Bytes last = page.kvs().get(page.kvs().size() - 1).key();
            return pages(kv, range.startingAt(last.concat(Bytes.of(ZERO))),
                    revision > 0 ? revision : page.revision(), out);
        });
    }
}
