package io.etcdkit.recipes.repository;

import io.etcdkit.CompactedException;
import io.etcdkit.InvalidArgumentException;
import io.etcdkit.KeyValue;
import io.etcdkit.kv.Range;
import io.etcdkit.kv.RangeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Paged listing at one pinned revision: the first read is linearizable and fixes the revision, every later read
 * (in the same call or from a continue token) is at that revision. Resources are decoded and filtered by the
 * selector here (labels live in the values, so etcd cannot filter them); reads continue until the page is full
 * or the resources end, each read asking for at most one page of keys, so no response outgrows the message
 * limits. Stateless apart from its context; thread-safe.
 */
final class Lister<T> {
    private final Context<T> ctx;

    Lister(Context<T> ctx) {
        this.ctx = ctx;
    }

    Page<T> page(LabelSelector selector, int pageSize, String continueToken) {
        if (pageSize < 1) {
            throw new InvalidArgumentException("a page size must be at least 1, got " + pageSize);
        }
        long revision = 0;
        Range range = ctx.keys().all();
        if (continueToken != null) {
            ContinueToken token = ContinueToken.decode(continueToken, ctx.keys().root());
            revision = token.revision();
            range = ctx.keys().after(token.lastId());
        }
        List<Versioned<T>> items = new ArrayList<>();
        while (true) {
            RangeResult read = read(range.limit(pageSize), revision);
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
                    return page(items, revision, more ? resource.id() : null);
                }
            }
            if (!read.more() || kvs.isEmpty()) {
                return page(items, revision, null);
            }
            range = ctx.keys().after(ctx.keys().id(kvs.get(kvs.size() - 1).key()));
        }
    }

    /** Every resource the selector matches, read page by page at one revision. */
    List<Versioned<T>> all(LabelSelector selector) {
        List<Versioned<T>> out = new ArrayList<>();
        Page<T> page = page(selector, 500, null);
        out.addAll(page.items());
        while (page.continueToken().isPresent()) {
            page = page(selector, 500, page.continueToken().get());
            out.addAll(page.items());
        }
        return out;
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
