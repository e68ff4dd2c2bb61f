package io.etcdkit.internal.encrypt;

import io.etcdkit.EtcdException;
import io.etcdkit.watch.DeleteEvent;
import io.etcdkit.watch.EndedEvent;
import io.etcdkit.watch.PutEvent;
import io.etcdkit.watch.Subscribe;
import io.etcdkit.watch.Watch;
import io.etcdkit.watch.WatchEvent;
import io.etcdkit.watch.WatchListener;
import io.etcdkit.watch.Watcher;
import io.etcdkit.watch.Watches;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The watches of an encrypted client view: puts (and previous values) arrive decrypted. A value that does not
 * decrypt is never delivered as ciphertext: the watch ends with an {@link EndedEvent} carrying the
 * {@link io.etcdkit.codec.DecryptionException} (a publisher signals it with {@code onError}).
 */
final class EncryptedWatches implements Watches {
    private final Watches watches;
    private final ValueSeal seal;

    EncryptedWatches(Watches watches, ValueSeal seal) {
        this.watches = watches;
        this.seal = seal;
    }

    @Override
    public Watcher watch(Watch watch, WatchListener listener) {
        return opening(listener, l -> watches.watch(watch, l));
    }

    @Override
    public Watcher subscribe(Subscribe subscribe, WatchListener listener) {
        return opening(listener, l -> watches.subscribe(subscribe, l));
    }

    @Override
    public Flow.Publisher<WatchEvent> publisher(Watch watch) {
        return opening(watches.publisher(watch));
    }

    @Override
    public Flow.Publisher<WatchEvent> subscription(Subscribe subscribe) {
        return opening(watches.subscription(subscribe));
    }

    /** The event with its values decrypted. */
    WatchEvent open(WatchEvent event) {
        if (event instanceof PutEvent p) {
            return new PutEvent(seal.open(p.kv()), seal.open(p.previous()));
        }
        if (event instanceof DeleteEvent d && d.previous().isPresent()) {
            return new DeleteEvent(d.key(), d.revision(), seal.open(d.previous()));
        }
        return event;
    }

    private Watcher opening(WatchListener listener, java.util.function.Function<WatchListener, Watcher> start) {
        AtomicReference<Watcher> watcher = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean ended = new java.util.concurrent.atomic.AtomicBoolean();
        WatchListener decrypting = new WatchListener() {
            @Override
            public void onEvent(WatchEvent event) {
                if (ended.get()) {
                    return;
                }
                WatchEvent opened;
                try {
                    opened = open(event);
                } catch (EtcdException e) {
                    ended.set(true);
                    listener.onEvent(new EndedEvent(e));
                    Watcher w = watcher.get();
                    if (w != null) {
                        w.close();
                    }
                    return;
                }
                listener.onEvent(opened);
            }

            @Override
            public void onCaughtUp() {
                if (!ended.get()) {
                    listener.onCaughtUp();
                }
            }
        };
        Watcher w = start.apply(decrypting);
        watcher.set(w);
        if (ended.get()) {
            w.close();
        }
        return w;
    }

    private Flow.Publisher<WatchEvent> opening(Flow.Publisher<WatchEvent> publisher) {
        return subscriber -> publisher.subscribe(new Flow.Subscriber<WatchEvent>() {
            private Flow.Subscription subscription;
            private boolean failed;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                subscriber.onSubscribe(s);
            }

            @Override
            public void onNext(WatchEvent event) {
                if (failed) {
                    return;
                }
                WatchEvent opened;
                try {
                    opened = open(event);
                } catch (EtcdException e) {
                    failed = true;
                    subscription.cancel();
                    subscriber.onError(e);
                    return;
                }
                subscriber.onNext(opened);
            }

            @Override
            public void onError(Throwable error) {
                if (!failed) {
                    subscriber.onError(error);
                }
            }

            @Override
            public void onComplete() {
                if (!failed) {
                    subscriber.onComplete();
                }
            }
        });
    }
}
