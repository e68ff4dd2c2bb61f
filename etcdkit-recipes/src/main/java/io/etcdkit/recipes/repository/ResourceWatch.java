package io.etcdkit.recipes.repository;

import io.etcdkit.KeyValue;
import io.etcdkit.codec.ValueDecodingException;
import io.etcdkit.watch.CompactedEvent;
import io.etcdkit.watch.ConnectedEvent;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.DisconnectedEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.ProgressEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.ResumedEvent;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import java.util.Optional;

/**
 * Turns the client's watch events on the resource range into {@link ResourceEvent}s: a put of a key at etcd
 * version 1 is a creation, any later put an update; a delete carries the last value (the watch asks for previous
 * values). Snapshot and re-sync events belong to subscriptions, which this watch is not, and never arrive.
 */
final class ResourceWatch<T> implements WatchListener {
    private final Context<T> ctx;
    private final ResourceListener<T> listener;

    ResourceWatch(Context<T> ctx, ResourceListener<T> listener) {
        this.ctx = ctx;
        this.listener = listener;
    }

    @Override
    public void onEvent(WatchEvent event) {
        ResourceEvent<T> mapped = map(event);
        if (mapped != null) {
            listener.onEvent(mapped);
        }
    }

    private ResourceEvent<T> map(WatchEvent event) {
        if (event instanceof PutEvent put) {
            KeyValue kv = put.kv();
            try {
                Versioned<T> resource = ctx.codec().decode(kv);
                return kv.version() == 1 ? new ResourceEvent.Created<>(resource)
                        : new ResourceEvent.Updated<>(resource);
            } catch (ValueDecodingException e) {
                return new ResourceEvent.Unreadable<>(ctx.keys().id(kv.key()), kv.modRevision(), e);
            }
        }
        if (event instanceof DeleteEvent delete) {
            return new ResourceEvent.Deleted<>(ctx.keys().id(delete.key()), delete.revision(),
                    delete.previous().flatMap(this::decodeQuietly));
        }
        if (event instanceof ConnectedEvent e) {
            return new ResourceEvent.Connected<>(e.fromRevision());
        }
        if (event instanceof DisconnectedEvent e) {
            return new ResourceEvent.Disconnected<>(e.cause());
        }
        if (event instanceof ResumedEvent e) {
            return new ResourceEvent.Resumed<>(e.fromRevision());
        }
        if (event instanceof ProgressEvent e) {
            return new ResourceEvent.Progress<>(e.revision());
        }
        if (event instanceof CompactedEvent e) {
            return new ResourceEvent.Compacted<>(e.compactRevision(), e.requestedRevision());
        }
        if (event instanceof EndedEvent e) {
            return new ResourceEvent.Ended<>(e.cause());
        }
        return null;
    }

    private Optional<Versioned<T>> decodeQuietly(KeyValue kv) {
        try {
            return Optional.of(ctx.codec().decode(kv));
        } catch (ValueDecodingException e) {
            return Optional.empty();
        }
    }
}
