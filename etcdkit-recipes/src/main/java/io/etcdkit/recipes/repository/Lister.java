package io.etcdkit.recipes.repository;

import io.etcdkit.CompactedException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Paged listing at one pinned revision: the first read is linearizable and fixes the revision, every later read
 * (in the same call or from a continue token) is at that revision. Resources are decoded and filtered by the
 * selector here (labels live in the values, so etcd cannot filter them); reads continue until the page is full
 * or the resources end, each read asking for at most one page of keys, so no response outgrows the message
 * limits. Stateless apart from its context; thread-safe.
 */
final class Lister<T> {
    private static final int PAGE = 500;

    private final Context<T> ctx;

    Lister(Context<T> ctx) {
        this.ctx = ctx;
    }

    Page<T> page(LabelSelector selector, int pageSize, String continueToken) {
        Fill fill = new Fill(selector, pageSize, continueToken);
        while (true) {
            Optional<Page<T>> page = fill.add(read(fill.range(), fill.revision));
            if (page.isPresent()) {
                return page.get();
            }
        }
    }

    /** {@link #page}, each read started from the previous one's callback; no thread waits. */
    CompletableFuture<Page<T>> pageAsync(LabelSelector selector, int pageSize, String continueToken) {
        Fill fill;
        try {
            fill = new Fill(selector, pageSize, continueToken);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return fillAsync(fill);
    }

    private CompletableFuture<Page<T>> fillAsync(Fill fill) {
        return readAsync(fill.range(), fill.revision).thenCompose(read -> fill.add(read)
                .map(CompletableFuture::completedFuture).orElseGet(() -> fillAsync(fill)));
    }

    /** Every resource the selector matches, read page by page at one revision. */
    List<Versioned<T>> all(LabelSelector selector) {
        List<Versioned<T>> out = new ArrayList<>();
        Page<T> page = page(selector, PAGE, null);
        out.addAll(page.items());
        while (page.continueToken().isPresent()) {
            page = page(selector, PAGE, page.continueToken().get());
            out.addAll(page.items());
        }
        return out;
    }

    /** {@link #all}, each page read from the previous one's callback; no thread waits. */
    CompletableFuture<List<Versioned<T>>> allAsync(LabelSelector selector) {
        return allAsync(selector, pageAsync(selector, PAGE, null), new ArrayList<>());
    }

    private CompletableFuture<List<Versioned<T>>> allAsync(LabelSelector selector, CompletableFuture<Page<T>> next,
            List<Versioned<T>> out) {
        return next.thenCompose(page -> {
            out.addAll(page.items());
            return page.continueToken().isEmpty() ? CompletableFuture.completedFuture(out)
                    : allAsync(selector, pageAsync(selector, PAGE, page.continueToken().get()), out);
        });
    }

    /** One page being filled: where the next read starts, at which revision, and what matched so far. */
    private final class Fill {
        private final LabelSelector selector;
        private final int pageSize;
        private final List<Versioned<T>> items = new ArrayList<>();
        private Range range;
        private long revision;

        Fill(LabelSelector selector, int pageSize, String continueToken) {
            if (pageSize < 1) {
                throw new InvalidArgumentException("a page size must be at least 1, got " + pageSize);
            }
            this.selector = selector;
            this.pageSize = pageSize;
            range = ctx.keys().all();
            if (continueToken != null) {
                ContinueToken token = ContinueToken.decode(continueToken, ctx.keys().root());
                revision = token.revision();
                range = ctx.keys().after(token.lastId());
            }
        }

        Range range() {
            return range.limit(pageSize);
        }

        /** Takes one read's resources; the page when it is complete, empty when another read is needed. */
        Optional<Page<T>> add(RangeResult read) {
            if (revision == 0) {
                revision = read.revision();
            }
            List<KeyValue> kvs = read.kvs();
            for (int i = 0; i < kvs.size(); i++) {
                Versioned<T> resource = ctx.codec().decode(kvs.get(i));
                if (selector.matches(resource.labels())) {
                    items.add(resource);
                }
                if (items.size() == pageSize) {
                    boolean more = i < kvs.size() - 1 || read.more();
                    return Optional.of(page(items, revision, more ? resource.id() : null));
                }
            }
            if (!read.more() || kvs.isEmpty()) {
                return Optional.of(page(items, revision, null));
            }
            range = ctx.keys().after(ctx.keys().id(kvs.get(kvs.size() - 1).key()));
            return Optional.empty();
        }
    }

    private CompletableFuture<RangeResult> readAsync(Range range, long revision) {
        if (revision == 0) {
            return ctx.kv().rangeAsync(range);
        }
        return ctx.kv().rangeAsync(range.atRevision(revision)).exceptionally(e -> {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof CompactedException c) {
                throw new ContinueTokenExpiredException(revision, c);
            }
            throw e instanceof CompletionException ce ? ce : new CompletionException(cause);
        });
    }

    private RangeResult read(Range range, long revision) {
        if (revision == 0) {
            return ctx.kv().range(range);
        }
        try {
            return ctx.kv().range(range.atRevision(revision));
        } catch (CompactedException e) {
            throw new ContinueTokenExpiredException(revision, e);
        }
    }

    private Page<T> page(List<Versioned<T>> items, long revision, String lastId) {
        Optional<String> token = lastId == null ? Optional.empty()
                : Optional.of(new ContinueToken(revision, lastId).encode(ctx.keys().root()));
        return new Page<>(items, revision, token);
    }
}
